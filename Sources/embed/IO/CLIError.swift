/// An error of the command-line tool itself (bad input file, unreadable line…).
struct CLIError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
