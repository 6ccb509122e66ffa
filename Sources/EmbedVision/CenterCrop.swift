/// Where transformers' `center_crop` takes a `height` × `width` window from an image of
/// `imageHeight` × `imageWidth`: offset `(size − crop) // 2` (Python floor division) when the
/// image is large enough, else the image is padded with zeros on both sides (the larger
/// half, `ceil(difference / 2)`, before it) to the crop size first.
struct CenterCrop: Equatable {
    /// Output row `r` shows image row `r + rowShift` (zero outside the image).
    let rowShift: Int
    /// Output column `c` shows image column `c + columnShift` (zero outside the image).
    let columnShift: Int
    /// The output size.
    let height: Int
    let width: Int

    init(imageHeight: Int, imageWidth: Int, height: Int, width: Int) {
        rowShift = Self.shift(image: imageHeight, crop: height)
        columnShift = Self.shift(image: imageWidth, crop: width)
        self.height = height
        self.width = width
    }

    /// No crop: the whole image.
    init(wholeImageHeight height: Int, width: Int) {
        rowShift = 0
        columnShift = 0
        self.height = height
        self.width = width
    }

    private static func shift(image: Int, crop: Int) -> Int {
        if image >= crop { return (image - crop) / 2 }
        return -((crop - image + 1) / 2)
    }

    /// The image rows the window shows.
    func rows(imageHeight: Int) -> Range<Int> {
        max(0, rowShift)..<min(imageHeight, rowShift + height)
    }

    /// The image columns the window shows.
    func columns(imageWidth: Int) -> Range<Int> {
        max(0, columnShift)..<min(imageWidth, columnShift + width)
    }
}
