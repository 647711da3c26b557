/// `caresync audit verify`: reads a whole source through a ``LogVerifier``.
public enum AuditVerification {
    /// Verifies `source`; `progress` is called with the number of operations read so far, once a page.
    public static func verify(
        _ source: some AuditLogSource, pageSize: Int = 10_000, progress: (Int) -> Void = { _ in }
    ) async throws -> VerificationReport {
        let snapshot = try await AuditSnapshot.read(source)
        var verifier = LogVerifier(devices: snapshot.devices, signatures: snapshot.signatures, wholeLog: source.isWholeLog)
        for finding in try await source.sourceFindings() { verifier.add(finding) }
        var read = 0
        try await source.forEachEntry(through: snapshot.lastSequence, pageSize: pageSize) { entry in
            verifier.check(entry)
            read += 1
            if read % pageSize == 0 { progress(read) }
        }
        progress(read)
        return verifier.finish()
    }
}
