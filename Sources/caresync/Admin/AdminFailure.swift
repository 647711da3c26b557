/// A refusal to report on the terminal: ArgumentParser prints `Error: <message>`
/// and exits with status 1 (no usage text: the command was well-formed).
struct AdminFailure: Error, CustomStringConvertible {
    let description: String

    init(_ message: String) {
        description = message
    }
}
