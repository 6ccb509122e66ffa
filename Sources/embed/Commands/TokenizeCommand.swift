import ArgumentParser
import EmbedTokenizers
import Foundation

/// `embed tokenize`: token ids of JSON strings read from standard input.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of each text read from standard input.",
        discussion: """
            Each input line is one JSON string ("caf\\u00e9", surrogate pairs included). Each output \
            line is a JSON array of ids, special tokens included, and nothing else is written to \
            standard output. As in the transformers library, the truncation and padding saved in \
            tokenizer.json are ignored: texts are cut only with --max-length (special tokens counted) \
            and never padded.
            """)

    @Option(name: .long, help: "The tokenizer.json file.")
    var tokenizer: String

    @Option(name: .long, help: "Cut each text to at most this many tokens, special tokens included.")
    var maxLength: Int?

    @Option(name: .long, help: "Read from this file instead of standard input.")
    var input: String = "-"

    func validate() throws {
        if let maxLength, maxLength < 1 { throw ValidationError("--max-length must be at least 1, got \(maxLength)") }
    }

    func run() throws {
        let tokenizer = try Tokenizer(contentsOf: URL(fileURLWithPath: self.tokenizer))
        let truncation = maxLength.map { Truncation(maxLength: $0) }
        var output = StandardOutput()
        var number = 0
        let decoder = JSONDecoder()
        for bytes in try LineReader(path: input) {
            number += 1
            let text: String
            do {
                text = try decoder.decode(String.self, from: Data(bytes))
            } catch {
                output.flush()
                throw CLIError("line \(number) is not a JSON string")
            }
            let ids = tokenizer.encode(text, truncation: truncation).ids
            output.writeLine("[" + ids.map(String.init).joined(separator: ",") + "]")
        }
        output.flush()
    }
}
