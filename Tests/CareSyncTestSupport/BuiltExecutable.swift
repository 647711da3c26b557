public import Foundation

/// Executables of this package, built beside the test binary: for tests that
/// run a real process (a server to stop with SIGTERM, a writer to SIGKILL).
public enum BuiltExecutable {
    /// The executable called `name` in the build folder of the running tests.
    public static func url(_ name: String) -> URL? {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]))
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: resolved))
        }
        for candidate in candidates {
            var folder = candidate.deletingLastPathComponent()
            // On Apple platforms the test binary sits inside an .xctest bundle.
            while folder.pathComponents.count > 1 {
                let executable = folder.appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: executable.path) { return executable }
                if !folder.path.contains(".xctest") { break }
                folder = folder.deletingLastPathComponent()
            }
        }
        return nil
    }
}
