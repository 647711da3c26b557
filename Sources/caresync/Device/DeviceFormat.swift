import CareModel
import Foundation

/// How `caresync device` shows and reads times and ids.
enum DeviceFormat {
    /// `ms` (Unix milliseconds) as an ISO 8601 UTC time.
    static func time(_ ms: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(ms) / 1_000).formatted(.iso8601)
    }

    /// An ISO 8601 time (`2026-01-01T09:00:00Z`) as Unix milliseconds.
    static func millis(_ text: String) -> Int64? {
        guard let date = try? Date(text, strategy: .iso8601) else { return nil }
        return Int64((date.timeIntervalSince1970 * 1_000).rounded())
    }

    /// The device's clock now, in Unix milliseconds.
    static var now: Int64 { Int64((Date().timeIntervalSince1970 * 1_000).rounded()) }

    /// A record id given on the command line.
    static func recordID(_ text: String, _ what: String) throws(CommandFailure) -> RecordID {
        guard let id = RecordID(text) else { throw CommandFailure("invalid_argument", "\(text) is not a \(what) id") }
        return id
    }
}
