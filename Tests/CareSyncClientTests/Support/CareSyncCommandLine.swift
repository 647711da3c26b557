import CareSyncTestSupport
import Foundation

/// The built `caresync` executable, run as a child process (the real command
/// line, end to end).
struct CareSyncCommandLine: Sendable {
    struct Outcome: Sendable {
        let status: Int32
        let output: String
        let errors: String
    }

    let executable: URL

    /// `caresync`, built beside the test binary in .build.
    static func built() throws -> CareSyncCommandLine {
        var candidates: [URL] = [URL(fileURLWithPath: CommandLine.arguments[0])]
        if let executable = Bundle.main.executableURL { candidates.append(executable) }
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: resolved))
        }
        for candidate in candidates {
            var folder = candidate.deletingLastPathComponent()
            // On Apple platforms the test binary sits inside an .xctest bundle.
            while folder.pathComponents.count > 1 {
                let binary = folder.appendingPathComponent("caresync")
                if FileManager.default.isExecutableFile(atPath: binary.path) { return CareSyncCommandLine(executable: binary) }
                if !folder.path.contains(".xctest") { break }
                folder = folder.deletingLastPathComponent()
            }
        }
        throw CommandLineError.notBuilt
    }

    /// Runs `caresync arguments…` and waits for it to exit (on a thread of
    /// its own: the cooperative pool is not blocked while the child runs).
    func run(_ arguments: [String]) async throws -> Outcome {
        let outcome = try await ChildProcess.run(executable.path, arguments)
        return Outcome(status: outcome.termination.status, output: outcome.output, errors: outcome.errors)
    }
}

enum CommandLineError: Error {
    case notBuilt
    case unexpectedOutput(String)
}
