import Foundation

/// Progress of a long run, on standard error and only when it is a terminal,
/// so that pipes and scripts see only the result.
struct ProgressLine {
    let verb: String
    private let enabled = isatty(STDERR_FILENO) == 1

    init(_ verb: String) {
        self.verb = verb
    }

    /// Shows `count` operations done.
    func update(_ count: Int) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\(verb): \(count) operations".utf8))
    }

    /// Ends the line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
