import CareSyncTestSupport
import Foundation
import Synchronization

/// `caresync-server` running as a child process, as an operator runs it: for
/// tests of signals and of what survives the process.
final class ServerProcess {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let process: ChildProcess
    /// Everything the server has logged to standard error so far.
    private final class Log: Sendable {
        let text = Mutex("")
    }
    private let log = Log()

    /// Starts the built `caresync-server` with `arguments`.
    init(arguments: [String]) throws {
        guard let executable = BuiltExecutable.url("caresync-server") else {
            throw Failure(description: "caresync-server was not built beside the tests")
        }
        process = try ChildProcess(executable: executable.path, arguments: arguments, standardError: .pipe)
        process.standardError?.readabilityHandler = { [log] handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            log.text.withLock { $0 += text }
        }
    }

    deinit {
        if process.isRunning { process.send(SIGINT) }
    }

    /// The port from the server's `listening` log line (it was started on port 0).
    func listeningPort() async throws -> Int {
        for _ in 0..<1_200 {
            let line = log.text.withLock { text in text.split(separator: "\n").first { $0.contains("listening") } }
            // Hummingbird's "listening on 127.0.0.1:PORT", or ours with port=PORT.
            if let line, let match = line.firstMatch(of: /(?:port=|127\.0\.0\.1:)(\d+)/), let port = Int(match.1) {
                return port
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Failure(description: "the server never said it was listening: \(log.text.withLock { $0 })")
    }

    /// Everything the server has written to standard error so far.
    var standardError: String { log.text.withLock { $0 } }

    /// Sends SIGTERM, as a service manager does.
    func terminate() {
        process.send(SIGTERM)
    }

    /// Waits for the process to end (a hang guard of a minute) and returns its exit status.
    func exitStatus() async throws -> Int32 {
        for _ in 0..<1_200 where process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        guard let ended = process.ended else { throw Failure(description: "the server did not exit") }
        return ended.status
    }
}
