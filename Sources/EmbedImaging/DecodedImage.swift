/// What a codec hands back: the pixels, and the metadata that can orient them.
struct DecodedImage {
    var image: RGB8Image
    /// The EXIF block (TIFF structure, possibly with its `Exif\0\0` prefix).
    var exif: [UInt8]?
    /// The XMP packet.
    var xmp: [UInt8]?

    /// The orientation Pillow's `exif_transpose` would apply.
    var orientation: ExifOrientation { .resolve(exif: exif, xmp: xmp) }
}
