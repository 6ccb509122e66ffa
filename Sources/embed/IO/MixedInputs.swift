import EmbedEngine
import Foundation

/// The texts and image files of one `embed similarity` table, in table order: each with the
/// short label of its row and the words an error about it uses.
struct MixedInputs {
    /// One entry of the table.
    enum Item: Equatable {
        case text(String)
        case image(path: String)
    }

    var items: [Item]

    /// Extensions (any case) that make an argument naming an existing file an image.
    static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "webp", "gif", "bmp"]

    /// `--image` files first, then the arguments in order: with `detectImages`, an argument
    /// that names an existing file with an image extension is that image; one that ends in an
    /// image extension, has no white space and names no file is an error (a mistyped file
    /// name is not compared as a text); anything else is a text.
    init(images: [String], arguments: [String], detectImages: Bool) throws {
        items = images.map { .image(path: $0) }
        for argument in arguments {
            guard detectImages, Self.hasImageExtension(argument) else {
                items.append(.text(argument))
                continue
            }
            if Self.isRegularFile(argument) {
                items.append(.image(path: argument))
            } else if argument.contains(where: \.isWhitespace) {
                items.append(.text(argument))
            } else {
                throw CLIError(
                    "no image file \(argument) (an argument ending in .\(Self.pathExtension(argument)) is read as an image file; "
                        + "--no-detect-images compares every argument as a text)")
            }
        }
    }

    /// Whether `path` names a regular file (after symbolic links).
    static func isRegularFile(_ path: String) -> Bool {
        (try? URL(fileURLWithPath: path).resolvingSymlinksInPath().resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true
    }

    /// Whether `path` names a folder (after symbolic links).
    static func isFolder(_ path: String) -> Bool {
        (try? URL(fileURLWithPath: path).resolvingSymlinksInPath().resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true
    }

    static func pathExtension(_ argument: String) -> String {
        guard let dot = argument.lastIndex(of: "."), !argument[dot...].contains("/") else { return "" }
        return String(argument[argument.index(after: dot)...])
    }

    static func hasImageExtension(_ argument: String) -> Bool {
        imageExtensions.contains(pathExtension(argument).lowercased())
    }

    var imageCount: Int { items.count(where: { if case .image = $0 { true } else { false } }) }
    var textCount: Int { items.count - imageCount }

    /// The engine's inputs: texts as they are, image files read (the size checked first).
    func inputs(limit: Int) throws -> [EmbeddingInput] {
        try items.map { item in
            switch item {
            case .text(let text): .text(text)
            case .image(let path): .image(try ImageFiles.read(path, limit: limit))
            }
        }
    }

    /// How an error names item `index`: `image file PATH` or `text 2 "a cat"`.
    var subjects: [String] {
        items.enumerated().map { index, item in
            switch item {
            case .text(let text): "text \(index + 1) \"\(Self.shortened(text, to: 40))\""
            case .image(let path): "image file \(path)"
            }
        }
    }

    /// The row label: an image's file name, a text, at most `width` characters.
    func label(_ index: Int, width: Int) -> String {
        switch items[index] {
        case .text(let text): Self.shortened(text, to: width)
        case .image(let path): Self.shortened(URL(fileURLWithPath: path).lastPathComponent, to: width)
        }
    }

    /// The whole input, for the list below the table: the text, or the path and "(image)".
    func full(_ index: Int) -> String {
        switch items[index] {
        case .text(let text): text
        case .image(let path): "\(path) (image)"
        }
    }

    /// Whether the row label of item `index` is not the whole input: a text cut or on several
    /// lines, an image given with a folder or a long name.
    func isShortened(_ index: Int, width: Int) -> Bool {
        switch items[index] {
        case .text(let text): label(index, width: width) != text
        case .image(let path): label(index, width: width) != path
        }
    }

    /// `text` on one line, cut to `width` characters with a trailing "…".
    static func shortened(_ text: String, to width: Int) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count <= width ? line : String(line.prefix(max(width - 1, 0))) + "…"
    }
}
