extension StrictJSONScanner {
    /// The bytes being scanned and the position in them, with the lexical rules of JSON.
    struct Reader {
        let bytes: [UInt8]
        private(set) var position = 0

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
        }

        var isAtEnd: Bool { position >= bytes.count }
        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func advance() { position += 1 }

        mutating func skipWhitespace() {
            while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
        }

        /// A failure at `offset` (default: here), with its line and column.
        func failure(_ reason: String, at offset: Int? = nil) -> Failure {
            let offset = min(offset ?? position, bytes.count)
            var line = 1
            var lineStart = 0
            for index in 0..<offset where bytes[index] == 0x0A {
                line += 1
                lineStart = index + 1
            }
            return Failure(reason: reason, line: line, column: offset - lineStart + 1, offset: offset)
        }

        /// A byte as it may be shown in a message.
        static func show(_ byte: UInt8) -> String {
            (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16, uppercase: true)
        }

        mutating func literal(_ word: String) throws(Failure) {
            let start = position
            for byte in word.utf8 {
                guard peek == byte else { throw failure("invalid literal: expected '\(word)'", at: start) }
                position += 1
            }
        }

        /// A number as RFC 8259 writes it: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
        /// Beyond the grammar, a number must fit a 64-bit float (RFC 8259 §6 lets a parser
        /// limit the range): Foundation's decoder refuses such a number with a message about
        /// strings, so it is refused here, by place.
        mutating func number() throws(Failure) {
            let start = position
            if peek == UInt8(ascii: "-") { position += 1 }
            guard let first = peek, isDigit(first) else { throw failure("invalid number: expected a digit") }
            position += 1
            if first == UInt8(ascii: "0"), let next = peek, isDigit(next) {
                throw failure("invalid number: a leading zero must not be followed by digits")
            }
            digits()
            if peek == UInt8(ascii: ".") {
                position += 1
                guard let next = peek, isDigit(next) else { throw failure("invalid number: expected a digit after '.'") }
                digits()
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                position += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
                guard let next = peek, isDigit(next) else { throw failure("invalid number: expected a digit in the exponent") }
                digits()
                try checkRange(from: start)
            } else if position - start > 308 {
                try checkRange(from: start)
            }
        }

        private func checkRange(from start: Int) throws(Failure) {
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            guard let value = Double(text), value.isFinite else {
                let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
                throw failure("number out of range: \(shown) does not fit a 64-bit float", at: start)
            }
        }

        private mutating func digits() {
            while let byte = peek, isDigit(byte) { position += 1 }
        }

        private func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

        /// A string from its opening quote to its closing one; returns its decoded value
        /// (keys are compared decoded: `"a"` and `"\u0061"` are the same key), or `""`
        /// when `decoding` is false (values: only checked).
        mutating func string(decoding: Bool = true) throws(Failure) -> String {
            let start = position
            position += 1
            var scalars = String.UnicodeScalarView()
            var plain: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: plain, as: UTF8.self).unicodeScalars)
                plain.removeAll(keepingCapacity: true)
            }
            while true {
                guard let byte = peek else { throw failure("unterminated string", at: start) }
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    flush()
                    position += 1
                    let scalar = try escape()
                    if decoding { scalars.append(scalar) }
                case 0x00..<0x20:
                    throw failure("control character \(Self.show(byte)) in a string: escape it")
                default:
                    if decoding { plain.append(byte) }
                    position += 1
                }
            }
        }

        /// The character of an escape, the backslash read.
        private mutating func escape() throws(Failure) -> UnicodeScalar {
            guard let byte = peek else { throw failure("unterminated escape") }
            position += 1
            switch byte {
            case UInt8(ascii: "\""): return "\""
            case UInt8(ascii: "\\"): return "\\"
            case UInt8(ascii: "/"): return "/"
            case UInt8(ascii: "b"): return "\u{08}"
            case UInt8(ascii: "f"): return "\u{0C}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"):
                let high = try hex4()
                if (0xD800..<0xDC00).contains(high), peek == UInt8(ascii: "\\"),
                    position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u")
                {
                    position += 2
                    let low = try hex4()
                    if (0xDC00..<0xE000).contains(low),
                        let scalar = UnicodeScalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                    {
                        return scalar
                    }
                }
                return UnicodeScalar(high) ?? "\u{FFFD}"
            default:
                throw failure("invalid escape '\\\(Self.show(byte))' in a string", at: position - 2)
            }
        }

        private mutating func hex4() throws(Failure) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let byte = peek, let digit = Self.hexValue(byte) else {
                    throw failure("invalid \\u escape: expected 4 hexadecimal digits")
                }
                value = value << 4 | digit
                position += 1
            }
            return value
        }

        private static func hexValue(_ byte: UInt8) -> UInt32? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
            default: nil
            }
        }
    }
}
