// Times decode + preprocess (CLIP defaults, 224 × 224) of image files, single thread.
//
//   imaging-bench [--repeats N] [--transparency discard|composite] FILE...
//
// Prints one line per file: the median, minimum and maximum of N runs, in milliseconds,
// split into decode and preprocess. Used by scripts/bench-images.sh.

import EmbedImaging
import EmbedVision
import Foundation

struct Arguments {
    var repeats = 20
    var files: [String] = []

    init(_ arguments: [String]) {
        var rest = arguments.dropFirst()
        while let argument = rest.popFirst() {
            if argument == "--repeats", let value = rest.popFirst().flatMap({ Int($0) }) {
                repeats = max(1, value)
            } else {
                files.append(argument)
            }
        }
    }
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

let arguments = Arguments(CommandLine.arguments)
let clock = ContinuousClock()
do {
    let preprocessor = try ImagePreprocessor(configuration: ImageProcessorConfiguration())
    for file in arguments.files {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        var decodeTimes: [Double] = [], preprocessTimes: [Double] = [], totals: [Double] = []
        var checksum: Float = 0
        for _ in 0..<arguments.repeats {
            let start = clock.now
            let image = try ImageDecoder.decode(bytes)
            let decoded = clock.now
            let values = preprocessor.pixelValues(image)
            let end = clock.now
            checksum += values.values[values.values.count / 2]
            decodeTimes.append(milliseconds(decoded - start))
            preprocessTimes.append(milliseconds(end - decoded))
            totals.append(milliseconds(end - start))
        }
        let name = URL(fileURLWithPath: file).lastPathComponent
        print(
            String(
                format: "swift %@ total median %.2f ms (min %.2f, max %.2f) decode %.2f preprocess %.2f [check %.3f]",
                name, median(totals), totals.min() ?? 0, totals.max() ?? 0, median(decodeTimes),
                median(preprocessTimes), checksum))
    }
} catch {
    FileHandle.standardError.write(Data("imaging-bench: \(error)\n".utf8))
    exit(1)
}
