import Foundation

/// Files checked into the repository, found from this source file's path.
enum RepositoryFiles {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// Whether tests should rewrite golden files instead of comparing with them
    /// (`CARESYNC_RECORD_GOLDEN=1 swift test`; review the diff before committing).
    static var recording: Bool {
        ProcessInfo.processInfo.environment["CARESYNC_RECORD_GOLDEN"] == "1"
    }
}
