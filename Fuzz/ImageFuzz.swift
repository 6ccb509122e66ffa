// libFuzzer target for EmbedImaging and EmbedVision: arbitrary bytes go through the decoder
// chosen by FUZZ_FORMAT (jpeg, png or webp: the input gets that format's signature in front
// unless it has it, so the fuzzer spends its time inside that decoder), both transparency
// modes, and, when an image comes out, a small CLIP preprocessing. Every result is checked:
// sizes within the limits, pixel counts that match. A violation stops the fuzzer.
// Built and run by scripts/fuzz-images.sh; not part of the Swift package.

import EmbedImaging
import EmbedVision
import Foundation

let format = ProcessInfo.processInfo.environment["FUZZ_FORMAT"] ?? "jpeg"
let signature: [UInt8] = {
    switch format {
    case "png": return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    case "webp": return Array("RIFF".utf8)
    default: return [0xFF, 0xD8, 0xFF]
    }
}()
// Small limits keep each run fast; the limit checks themselves are part of what is fuzzed.
let configurations: [ImageDecodingConfiguration] = [
    .init(maxEncodedBytes: 1 << 20, maxPixels: 4_000_000, maxSide: 8192, maxJPEGScans: 100),
    .init(maxEncodedBytes: 1 << 20, maxPixels: 4_000_000, maxSide: 8192, maxJPEGScans: 100, transparency: .compositeOverWhite),
]
let preprocessor: ImagePreprocessor? = {
    var configuration = ImageProcessorConfiguration()
    configuration.size = .shortestEdge(24)
    configuration.cropSize = CropSize(height: 24, width: 20)
    return try? ImagePreprocessor(configuration: configuration)
}()

/// The PNG with every chunk's CRC recomputed, so that mutations reach libpng (the decoder
/// checks the CRCs before the image data, as Pillow does, and would refuse most of them).
func fixingChecksums(_ png: [UInt8]) -> [UInt8] {
    var bytes = png
    var offset = 8
    while offset + 12 <= bytes.count {
        let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8
            | Int(bytes[offset + 3])
        guard length <= bytes.count - offset - 12 else { break }
        let end = offset + 8 + length
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes[(offset + 4)..<end] {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        crc ^= 0xFFFF_FFFF
        for index in 0..<4 { bytes[end + index] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * index)) }
        offset = end + 4
    }
    return bytes
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if !bytes.starts(with: signature) {
        if format == "webp" {
            let length = UInt32(truncatingIfNeeded: bytes.count + 4)
            bytes = signature + [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF),
                UInt8(length >> 24)] + Array("WEBP".utf8) + bytes
        } else {
            bytes = signature + bytes
        }
    }
    let inputs = format == "png" ? [bytes, fixingChecksums(bytes)] : [bytes]
    for (input, configuration) in inputs.flatMap({ input in configurations.map { (input, $0) } }) {
        let image: RGB8Image
        do {
            image = try ImageDecoder.decode(input, configuration: configuration)
        } catch {
            if error.message.isEmpty { fatalError("an error without a message: \(error.code)") }
            continue
        }
        guard image.width >= 1, image.height >= 1, image.width * image.height <= configuration.maxPixels,
            image.pixels.count == image.width * image.height * 3
        else { fatalError("inconsistent image \(image.width)×\(image.height), \(image.pixels.count) bytes") }
        if let preprocessor {
            let values = preprocessor.pixelValues(image)
            guard values.values.count == 3 * 24 * 20, values.values.allSatisfy(\.isFinite) else {
                fatalError("bad pixel values for \(image.width)×\(image.height)")
            }
        }
    }
    return 0
}
