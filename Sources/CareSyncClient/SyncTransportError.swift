public import CareModel

/// Why a request to the sync server did not give an answer the engine can use.
///
/// A struct with an extensible ``Kind`` (not a public enum, so kinds can be
/// added without breaking callers). Its description names the kind, the HTTP
/// status and the server's error code; it never carries record content.
public struct SyncTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, broadly.
    public struct Kind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No connection could be made or it broke (no network, refused, reset).
        public static let unreachable = Kind(rawValue: "unreachable")
        /// The request took longer than the configured timeout.
        public static let timedOut = Kind(rawValue: "timed_out")
        /// The server answered with a non-success HTTP status; see ``status`` and ``error``.
        public static let server = Kind(rawValue: "server")
        /// The server answered 2xx with a body that is not the expected message.
        public static let invalidResponse = Kind(rawValue: "invalid_response")
        /// The request could not be built (a bad base URL, a message that does not encode).
        public static let invalidRequest = Kind(rawValue: "invalid_request")
        /// The calling task was cancelled.
        public static let cancelled = Kind(rawValue: "cancelled")
    }

    public var kind: Kind
    /// The HTTP status, when the server answered.
    public var status: Int?
    /// The server's error body (stable `code`, message, field), when it sent one.
    public var error: ErrorBody?
    /// A short explanation for logs; no record content.
    public var message: String

    public init(_ kind: Kind, status: Int? = nil, error: ErrorBody? = nil, message: String) {
        self.kind = kind
        self.status = status
        self.error = error
        self.message = message
    }

    /// The server's error code, or a code derived from the kind and status.
    public var code: String {
        if let code = error?.code { return code }
        if let status { return "http_\(status)" }
        return kind.rawValue
    }

    /// Whether trying the same request again later may succeed: no connection,
    /// a timeout, 408, 429 and 5xx, or a garbled 2xx body (a response cut in
    /// the middle). A 4xx names a problem with the request or the credential
    /// that repeating will not fix.
    public var isRetryable: Bool {
        switch kind {
        case .unreachable, .timedOut, .invalidResponse: return true
        case .server:
            guard let status else { return true }
            return status == 408 || status == 429 || status >= 500
        default: return false
        }
    }

    /// Whether the server refused the device's credential (401, or 403 for a
    /// revoked device or deactivated worker): syncing cannot go on until the
    /// device enrols again. Forged-identity refusals (also 403) are not this.
    public var isCredentialRejection: Bool {
        guard kind == .server, let status else { return false }
        if status == 401 { return true }
        guard status == 403, let code = error?.code else { return false }
        return Self.credentialCodes.contains(code)
    }

    /// The server's codes that mean "this credential no longer works".
    public static let credentialCodes: Set<String> = [
        "missing_credential", "unknown_credential", "expired_credential", "device_revoked", "worker_inactive",
    ]

    public var description: String {
        var text = "SyncTransportError(\(kind)"
        if let status { text += ", status \(status)" }
        if let code = error?.code { text += ", code \(code)" }
        return text + "): \(message)"
    }
}
