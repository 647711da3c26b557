/// A refusal of a `caresync` command: a stable code for scripts and a human
/// message, printed as `Error: <code>: <message>`. A `device` or `admin`
/// command exits 1; an audit command exits 2, since `verify` keeps 1 for a
/// log it read and found NOT INTACT (see ``AuditSubcommand``).
struct CommandFailure: Error, CustomStringConvertible {
    let code: String
    let message: String

    init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { "\(code): \(message)" }
}
