import CareStore
import CareSyncClient

/// A refusal of a `caresync device` command: a stable code and a human
/// message. ArgumentParser prints `Error: <code>: <message>` and exits with
/// status 1; nothing was changed.
struct DeviceFailure: Error, CustomStringConvertible {
    let code: String
    let message: String

    init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { "\(code): \(message)" }

    /// The device store's error, with its code.
    init(_ error: CareStoreError) {
        self.init(error.code.rawValue, error.message)
    }

    /// A failed request to the server, with the server's code (or the transport's).
    init(_ error: SyncTransportError) {
        self.init(error.code, error.message)
    }

    static let notEnrolled = "not_enrolled"
    static let alreadyEnrolled = "already_enrolled"
    static let invalidProfile = "invalid_profile"
}
