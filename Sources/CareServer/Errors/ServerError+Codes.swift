extension ServerError.Code {
    // Bad request bodies (400, 413).
    /// The body is not well-formed JSON.
    public static let malformedJSON = Self(rawValue: "malformed_json")
    /// The JSON is well-formed but a value has the wrong type, is missing or is not allowed.
    public static let invalidRequest = Self(rawValue: "invalid_request")
    /// The JSON nests deeper than the server accepts.
    public static let nestingTooDeep = Self(rawValue: "nesting_too_deep")
    /// The body is larger than the server accepts (compressed, or once decompressed).
    public static let bodyTooLarge = Self(rawValue: "body_too_large")
    /// The body says `Content-Encoding: gzip` but is not a complete, valid gzip stream.
    public static let malformedGzip = Self(rawValue: "malformed_gzip")
    /// The body's `Content-Encoding` is neither gzip nor identity (415).
    public static let unsupportedContentEncoding = Self(rawValue: "unsupported_content_encoding")
    /// A push carries more operations than the server accepts in one batch.
    public static let batchTooLarge = Self(rawValue: "batch_too_large")
    /// The body did not arrive within the request timeout.
    public static let requestTimeout = Self(rawValue: "request_timeout")
    /// A query parameter is missing or malformed.
    public static let invalidParameter = Self(rawValue: "invalid_parameter")

    // Credentials (401, 403).
    /// No `Authorization: Bearer …` header.
    public static let missingCredential = Self(rawValue: "missing_credential")
    /// The bearer token is not one the server issued.
    public static let unknownCredential = Self(rawValue: "unknown_credential")
    /// The device credential has expired; enrol again.
    public static let expiredCredential = Self(rawValue: "expired_credential")
    /// A push with operations but without the chain head and the device's signature over it.
    public static let missingSignature = Self(rawValue: "missing_signature")
    /// The push's signature is not the device's enrolled key's signature over its chain head.
    public static let badSignature = Self(rawValue: "bad_signature")
    /// The device was revoked by an admin.
    public static let deviceRevoked = Self(rawValue: "device_revoked")
    /// The worker the device belongs to is deactivated.
    public static let workerInactive = Self(rawValue: "worker_inactive")
    /// The request needs the auditor role.
    public static let auditorOnly = Self(rawValue: "auditor_only")
    /// Listing the quarantine needs the auditor, safeguarding-lead or coordinator role.
    public static let quarantineForbidden = Self(rawValue: "quarantine_forbidden")
    /// The admin token is missing or wrong.
    public static let adminUnauthorized = Self(rawValue: "admin_unauthorized")
    /// The admin API is off because no admin token is configured.
    public static let adminDisabled = Self(rawValue: "admin_disabled")

    // Forgery (403): a device may only push as its own replica, device and worker.
    /// The batch or an operation names a replica other than the credential's.
    public static let replicaMismatch = Self(rawValue: "replica_mismatch")
    /// An operation names an author other than the credential's worker.
    public static let authorMismatch = Self(rawValue: "author_mismatch")
    /// An operation names a device other than the credential's device.
    public static let deviceMismatch = Self(rawValue: "device_mismatch")

    // Enrolment and admin.
    /// The enrolment code is unknown, used or expired.
    public static let invalidEnrolmentCode = Self(rawValue: "invalid_enrolment_code")
    /// The public key is not 32 bytes of base64.
    public static let invalidPublicKey = Self(rawValue: "invalid_public_key")
    /// The replica id is already enrolled by another device.
    public static let replicaTaken = Self(rawValue: "replica_taken")
    /// No such worker.
    public static let unknownWorker = Self(rawValue: "unknown_worker")
    /// No such device.
    public static let unknownDevice = Self(rawValue: "unknown_device")
    /// The server's own worker (`caresync-server`) or role (`server`): not for people or devices.
    public static let reservedWorker = Self(rawValue: "reserved_worker")

    // Background jobs: notifications and the review queue.
    /// A setting cannot work (a webhook without a secret, a URL that is not http(s)); the server does not start.
    public static let invalidConfiguration = Self(rawValue: "invalid_configuration")
    /// No review item with this id (or not one the caller may see).
    public static let unknownReviewItem = Self(rawValue: "unknown_review_item")
    /// The review item was resolved already; its decision stands.
    public static let reviewItemResolved = Self(rawValue: "review_item_resolved")
    /// A review decision without a decision or without a reason, or one too long.
    public static let invalidDecision = Self(rawValue: "invalid_decision")
    /// The review queue is for coordinators (their teams' items) and auditors (reading).
    public static let reviewerOnly = Self(rawValue: "reviewer_only")

    // Opening a database to read it (the audit tools).
    /// The file or database holds no CareSync server schema (a wrong path, an empty file, another program's database).
    public static let notACareSyncDatabase = Self(rawValue: "not_a_caresync_database")
    /// The database's schema is another version's: migrations this build would apply (an older server
    /// wrote it) or ones it does not know (a newer server did). Read it with the matching version.
    public static let schemaNotCurrent = Self(rawValue: "schema_not_current")

    // Routing.
    /// No route for this path and method.
    public static let notFound = Self(rawValue: "not_found")
    /// The server is not ready (database unavailable or shutting down).
    public static let notReady = Self(rawValue: "not_ready")
    /// An unexpected failure; details are in the server's log.
    public static let internalError = Self(rawValue: "internal_error")
}
