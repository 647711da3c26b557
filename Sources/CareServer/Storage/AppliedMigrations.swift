/// Whether a database's applied migrations are this build's: what a reader
/// that must not migrate (the audit tools) checks before it reads, on either
/// backend.
enum AppliedMigrations {
    /// Throws ``ServerError`` `not_a_caresync_database` when `applied` is
    /// empty, and `schema_not_current` when it lacks one of `known` (an older
    /// server wrote the database) or holds one this build does not know (a
    /// newer server did). `database` names it in the message.
    static func check(_ applied: Set<String>, known: [String], database: String) throws(ServerError) {
        guard !applied.isEmpty else {
            throw ServerError(
                .notACareSyncDatabase, "\(database) holds no CareSync server schema", status: .notFound)
        }
        let unknown = applied.subtracting(known).sorted()
        guard unknown.isEmpty else {
            throw ServerError(
                .schemaNotCurrent,
                "\(database) was written by a newer server (migrations \(unknown.joined(separator: ", ")) "
                    + "are unknown to this build): read it with that version", status: .serviceUnavailable)
        }
        let missing = known.filter { !applied.contains($0) }
        guard missing.isEmpty else {
            throw ServerError(
                .schemaNotCurrent,
                "\(database) was written by an older server (migrations \(missing.joined(separator: ", ")) "
                    + "not applied): start this version's server on it once, or read it with the version that wrote it",
                status: .serviceUnavailable)
        }
    }
}
