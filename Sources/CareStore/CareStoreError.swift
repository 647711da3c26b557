public import CareModel

/// Why the device store refused something, with a stable code for programs and
/// a message for people.
///
/// Messages name files, tables, fields and rules, never what a worker typed, so
/// an error can be logged without leaking care records. When the store refuses
/// an action, nothing was written.
public struct CareStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, machine-readable code. New codes may be added: switch with a
    /// default case. Errors passed through from the model keep the model's code
    /// (for example `access_denied`, `invalid_value`), see ``modelError``.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file was written by a newer version of the app (it has migrations
        /// this version does not know). Nothing was changed; update the app.
        public static let newerSchema = Code(rawValue: "newer_schema")
        /// The file is not an SQLite database.
        public static let notADatabase = Code(rawValue: "not_a_database")
        /// The file is an SQLite database, but damaged.
        public static let corruptDatabase = Code(rawValue: "corrupt_database")
        /// The file is an SQLite database of something else than a CareSync store.
        public static let notACareStore = Code(rawValue: "not_a_care_store")
        /// The file or its folder cannot be written (a WAL database needs both).
        public static let readOnlyLocation = Code(rawValue: "read_only_location")
        /// The store belongs to another worker, replica or device.
        public static let identityMismatch = Code(rawValue: "identity_mismatch")
        /// Sign-out, worker switch or wipe refused: operations wait for the
        /// server's acknowledgement.
        public static let unacknowledgedOperations = Code(rawValue: "unacknowledged_operations")
        /// The store was signed out: it reads, but takes no more writes.
        public static let signedOut = Code(rawValue: "signed_out")
        /// The record named is not on this device.
        public static let recordNotFound = Code(rawValue: "record_not_found")
        /// A status change that would move backwards (report status only moves forward).
        public static let invalidTransition = Code(rawValue: "invalid_transition")
        /// An operation received from the server fails the model's checks; the
        /// whole page was refused and nothing changed.
        public static let invalidRemoteOperation = Code(rawValue: "invalid_remote_operation")
        /// The server holds operations of this device's own replica that the
        /// device does not have (a restored or copied store). Writing would fork
        /// the replica's hash chain.
        public static let replicaDiverged = Code(rawValue: "replica_diverged")
        /// The store already trusts another server key (receipts are checked against the first).
        public static let serverKeyChanged = Code(rawValue: "server_key_changed")
        /// An argument outside what the call accepts.
        public static let invalidArgument = Code(rawValue: "invalid_argument")
        /// The device is out of storage.
        public static let diskFull = Code(rawValue: "disk_full")
        /// Any other SQLite failure.
        public static let database = Code(rawValue: "database_error")
    }

    public let code: Code
    public let message: String
    /// The model's error, when the model refused the operation (validation or
    /// access policy); ``code`` then carries the model's code.
    public let modelError: CareModelError?

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
        self.modelError = nil
    }

    /// Passes a model error through, keeping its code.
    public init(_ modelError: CareModelError) {
        self.code = Code(rawValue: modelError.code.rawValue)
        self.message = modelError.message
        self.modelError = modelError
    }

    public var description: String { "\(code): \(message)" }
}
