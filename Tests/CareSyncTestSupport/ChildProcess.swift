import CSpawn
public import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A program the tests run (a built executable, python3), started with
/// `posix_spawn` (`CSpawn`) rather than Foundation's `Process`, whose
/// `run()` on Linux could crash in the forked child and hang the test run.
public final class ChildProcess: Sendable {
    /// Where one of the child's output streams goes.
    public enum Destination: Sendable {
        /// /dev/null.
        case discard
        /// A pipe whose read end is ``standardOutput`` or ``standardError``.
        case pipe
        /// A file, created or emptied.
        case file(String)
    }

    /// How the child ended.
    public enum Termination: Hashable, Sendable {
        case exited(Int32)
        case signalled(Int32)

        /// The exit code, or 128 + the signal, as a shell reports it.
        public var status: Int32 {
            switch self {
            case .exited(let code): code
            case .signalled(let signal): 128 + signal
            }
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let pid: pid_t
    /// The read end of the child's standard output, when it goes to a pipe.
    public let standardOutput: FileHandle?
    /// The read end of the child's standard error, when it goes to a pipe.
    public let standardError: FileHandle?
    private let termination = Mutex<Termination?>(nil)

    /// Starts `executable` with `arguments`, the test process's environment
    /// and standard input from /dev/null.
    public init(
        executable: String, arguments: [String], standardOutput output: Destination = .discard,
        standardError error: Destination = .discard
    ) throws {
        let (outputWriter, outputReader) = try Self.open(output)
        let (errorWriter, errorReader) = try Self.open(error)
        defer {
            if outputWriter >= 0 { close(outputWriter) }
            if errorWriter >= 0 { close(errorWriter) }
        }
        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        var pid: Int32 = 0
        let result = Self.withCStrings([executable] + arguments) { argv in
            Self.withCStrings(environment) { envp in
                CSpawn_start(executable, argv, envp, -1, outputWriter, errorWriter, &pid)
            }
        }
        guard result == 0 else {
            [outputReader, errorReader].compactMap { $0 }.forEach { try? $0.close() }
            throw Failure(description: "could not start \(executable): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        standardOutput = outputReader
        standardError = errorReader
    }

    /// Runs `executable` to its end with its output and errors in files, and
    /// returns them; the wait happens on a thread of its own, not the
    /// cooperative pool (the child may need the test's own server to answer).
    public static func run(_ executable: String, _ arguments: [String]) async throws -> (
        termination: Termination, output: String, errors: String
    ) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (outputPath, errorsPath) = (folder.appendingPathComponent("out").path, folder.appendingPathComponent("err").path)
        let child = try ChildProcess(
            executable: executable, arguments: arguments, standardOutput: .file(outputPath),
            standardError: .file(errorsPath))
        let termination = await child.exit()
        let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
        return (termination, read(outputPath), read(errorsPath))
    }

    /// Sends `signal` to the child (nothing once it has been reaped).
    public func send(_ signal: Int32) {
        termination.withLock { ended in
            if ended == nil { _ = kill(pid, signal) }
        }
    }

    /// Whether the child still runs (reaping it if it has ended).
    public var isRunning: Bool { ended == nil }

    /// How the child ended, once it has; nil while it runs.
    public var ended: Termination? { reap(waiting: false) }

    /// Blocks the calling thread until the child ends.
    public func waitUntilExit() -> Termination {
        reap(waiting: true)!
    }

    /// Waits until the child ends, on a thread of its own.
    public func exit() async -> Termination {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: self.waitUntilExit()) }
        }
    }

    /// The child's termination: reaped now (waiting for it if `waiting`), or
    /// as reaped before. The lock keeps a pid from being reaped twice.
    private func reap(waiting: Bool) -> Termination? {
        if let ended = termination.withLock({ $0 }) { return ended }
        var exited: Int32 = 0
        var code: Int32 = 0
        // Not under the lock: a blocking wait would hold it for the child's whole life.
        let result = CSpawn_wait(pid, waiting ? 0 : 1, &exited, &code)
        // ECHILD: another thread reaped it and is recording how it ended.
        while result < 0 {
            if let ended = termination.withLock({ $0 }) { return ended }
            usleep(1_000)
        }
        return termination.withLock { ended in
            if result == 1 { ended = exited == 1 ? .exited(code) : .signalled(code) }
            return ended
        }
    }

    /// The descriptor the child writes to (-1: /dev/null) and, for a pipe, the read end.
    private static func open(_ destination: Destination) throws -> (Int32, FileHandle?) {
        switch destination {
        case .discard:
            return (-1, nil)
        case .file(let path):
            let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw Failure(description: "could not open \(path)") }
            return (descriptor, nil)
        case .pipe:
            var ends: [Int32] = [0, 0]
            let result = CSpawn_pipe(&ends)
            guard result == 0 else { throw Failure(description: "no pipe: \(String(cString: strerror(result)))") }
            return (ends[1], FileHandle(fileDescriptor: ends[0], closeOnDealloc: true))
        }
    }

    /// `strings` as a NULL-terminated array of C strings, for the call.
    private static func withCStrings<Result>(
        _ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) throws -> Result
    ) rethrows -> Result {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return try body(pointers)
    }
}
