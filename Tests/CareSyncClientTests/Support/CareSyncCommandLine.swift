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

    /// Runs `caresync arguments…` and waits for it to exit (on a dispatch
    /// thread: the cooperative pool is not blocked while the child runs).
    func run(_ arguments: [String]) async throws -> Outcome {
        let folder = try TestDirectory()
        defer { folder.remove() }
        let outputPath = folder.path("stdout")
        let errorsPath = folder.path("stderr")
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorsPath, contents: nil)
        let executable = self.executable
        let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            DispatchQueue.global().async {
                do {
                    let process = Process()
                    process.executableURL = executable
                    process.arguments = arguments
                    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
                    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorsPath))
                    try process.run()
                    process.waitUntilExit()
                    continuation.resume(returning: process.terminationStatus)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
        let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
        return Outcome(status: status, output: read(outputPath), errors: read(errorsPath))
    }
}

enum CommandLineError: Error {
    case notBuilt
    case unexpectedOutput(String)
}
