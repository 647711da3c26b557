import Foundation

/// The file an export is written to, whole or not at all.
///
/// The export goes to a file beside the output, moved over it only once
/// complete (`rename`, which replaces the old file in one step): an export
/// that fails part-way (a database gone, a disk full, an interrupt) leaves an
/// existing file as it was. That file may be evidence kept from before, or
/// this very export's input (`--export log.ndjson --output log.ndjson`).
enum ExportOutputFile {
    /// Runs `body` with a handle on a new file beside `path`, then moves that
    /// file to `path`; removes it instead if `body` throws.
    static func write<Result>(
        to path: String, _ body: (FileHandle) async throws -> Result
    ) async throws -> Result {
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil),
            let handle = FileHandle(forWritingAtPath: partial)
        else {
            throw CommandFailure("cannot_write_output", "cannot write \(path)")
        }
        do {
            let result = try await body(handle)
            try handle.synchronize()
            try handle.close()
            guard rename(partial, path) == 0 else {
                throw CommandFailure("cannot_write_output", "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            return result
        } catch {
            // Closing again after a close is harmless here: its error is dropped.
            try? handle.close()
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }
}
