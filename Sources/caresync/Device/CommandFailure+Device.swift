import CareStore
import CareSyncClient

extension CommandFailure {
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
