public import CareModel
import Foundation
import GRDB

extension CareStore {
    /// The server's public key that receipts are checked against, if the store knows it.
    public func serverKey() async throws(CareStoreError) -> ServerPublicKey? {
        let text = try await read { db in
            try String.fetchOne(db, sql: "SELECT server_key FROM store WHERE singleton = 1")
        }
        guard let text else { return nil }
        do {
            return try ServerPublicKey(base64: text)
        } catch {
            throw CareStoreError(.corruptDatabase, "the store's server key is not an Ed25519 public key")
        }
    }

    /// Keeps the server's public key, learnt at enrolment (`EnrolmentResponse.serverKey`).
    /// Setting the same key again changes nothing; another key is refused with
    /// ``CareStoreError/Code/serverKeyChanged`` (receipts already kept were
    /// checked against the first one).
    public func setServerKey(_ key: ServerPublicKey) async throws(CareStoreError) {
        let text = key.base64
        try await write { db in
            let current = try String.fetchOne(db, sql: "SELECT server_key FROM store WHERE singleton = 1")
            if let current, current != text {
                throw CareStoreError(.serverKeyChanged, "the store already trusts another server key")
            }
            try db.execute(sql: "UPDATE store SET server_key = ? WHERE singleton = 1", arguments: [text])
        }
    }

    /// The receipt the server signed for this device's operation `operation`,
    /// nil when there is none (not acknowledged yet, another replica's, or
    /// acknowledged before the store knew the server's key). It was checked
    /// against the server's key before it was kept.
    public func receipt(for operation: Dot) async throws(CareStoreError) -> OperationReceipt? {
        guard operation.replica == identity.replica else { return nil }
        return try await read { db in
            try Data.fetchOne(
                db, sql: "SELECT receipt FROM receipt WHERE counter = ?", arguments: [Int64(operation.counter)]
            ).map(Self.decodeReceipt)
        }
    }

    /// The receipts of this device's operations on `record`, in counter order:
    /// the first says when the office received the record.
    public func receipts(for record: RecordRef) async throws(CareStoreError) -> [OperationReceipt] {
        try await read { db in
            try Data.fetchAll(
                db,
                sql: """
                    SELECT r.receipt FROM receipt r
                    JOIN local_operation o ON o.counter = r.counter
                    WHERE o.record_kind = ? AND o.record_id = ? ORDER BY r.counter
                    """,
                arguments: [record.kind.rawValue, record.id.description]
            ).map(Self.decodeReceipt)
        }
    }

    /// Keeps `receipts` of acknowledged local operations (first one wins).
    static func keep(_ receipts: [OperationReceipt], replica: ReplicaID, _ db: Database) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let insert = try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO receipt (counter, server_sequence, received_at, receipt)
                SELECT ?, ?, ?, ? WHERE EXISTS (
                    SELECT 1 FROM local_operation WHERE counter = ? AND acknowledged = 1)
                """)
        for receipt in receipts where receipt.entry.replica == replica {
            let counter = Int64(receipt.entry.counter)
            try insert.execute(arguments: [
                counter, Int64(receipt.entry.sequence), receipt.entry.receivedAt, try encoder.encode(receipt), counter,
            ])
        }
    }

    private static func decodeReceipt(_ data: Data) throws -> OperationReceipt {
        do {
            return try JSONDecoder().decode(OperationReceipt.self, from: data)
        } catch {
            throw CareStoreError(.corruptDatabase, "a stored receipt does not parse")
        }
    }
}
