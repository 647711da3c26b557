import CareModel
import CareSQLite
import Foundation
import GRDB

/// The `store` table's single row: the owner, the persisted ``LocalReplica``
/// and the sync cursor.
struct StoreRow: Sendable {
    var identity: StoreIdentity
    var createdAt: Int64
    var signedOutAt: Int64?
    var replica: LocalReplica
    var pullCursor: UInt64
    var lastSyncAt: Int64?

    static func fetch(_ db: Database) throws -> StoreRow {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: """
                    SELECT worker, role, team, replica, device, created_at, signed_out_at, last_counter, head,
                           hlc_wall, hlc_logical, pull_cursor, last_sync_at
                    FROM store WHERE singleton = 1
                    """))
        else {
            throw CareStoreError(.notACareStore, "the store has no owner row")
        }
        let workerText: String = row["worker"]
        let roleText: String = row["role"]
        let teamText: String? = row["team"]
        let replicaText: String = row["replica"]
        let deviceText: String = row["device"]
        let headBytes: Data = row["head"]
        guard let worker = WorkerID(workerText), let role = Role(rawValue: roleText),
            let replicaID = ReplicaID(replicaText), let device = DeviceID(deviceText),
            let head = OperationHash(bytes: Array(headBytes))
        else {
            throw CareStoreError(.corruptDatabase, "the store's owner row holds an invalid identity")
        }
        let team = teamText.flatMap { TeamID($0) }
        let identity = StoreIdentity(worker: worker, role: role, team: team, replica: replicaID, device: device)
        let lastCounter: Int64 = row["last_counter"]
        let wall: Int64 = row["hlc_wall"]
        let logical: Int64 = row["hlc_logical"]
        let replica = LocalReplica(
            replica: replicaID, device: device, author: worker, lastCounter: UInt64(lastCounter), head: head,
            clock: HybridLogicalClock(latest: HLCTimestamp(wallMillis: wall, logical: UInt32(clamping: logical))))
        let cursor: Int64 = row["pull_cursor"]
        return StoreRow(
            identity: identity, createdAt: row["created_at"], signedOutAt: row["signed_out_at"], replica: replica,
            pullCursor: UInt64(cursor), lastSyncAt: row["last_sync_at"])
    }

    /// The row of a store whose owner is known to be `identity` (checked when
    /// the store was opened; the owner columns never change): reads only the
    /// columns that do change, by position, for the write paths.
    static func fetch(_ db: Database, owner identity: StoreIdentity) throws -> StoreRow {
        let sql = """
            SELECT created_at, signed_out_at, last_counter, head, hlc_wall, hlc_logical, pull_cursor, last_sync_at
            FROM store WHERE singleton = 1
            """
        let fetched = try db.firstRow(sql) { row in
            guard let head = OperationHash(bytes: row.blob(3)) else {
                throw CareStoreError(.corruptDatabase, "the store's owner row holds an invalid chain head")
            }
            let replica = LocalReplica(
                replica: identity.replica, device: identity.device, author: identity.worker,
                lastCounter: UInt64(row.int(2)), head: head,
                clock: HybridLogicalClock(
                    latest: HLCTimestamp(wallMillis: row.int(4), logical: UInt32(clamping: row.int(5)))))
            return StoreRow(
                identity: identity, createdAt: row.int(0), signedOutAt: row.int(orNull: 1), replica: replica,
                pullCursor: UInt64(row.int(6)), lastSyncAt: row.int(orNull: 7))
        }
        guard let fetched else {
            throw CareStoreError(.notACareStore, "the store has no owner row")
        }
        return fetched
    }

    /// Inserts the row of a new store.
    static func create(_ db: Database, identity: StoreIdentity, at now: Int64) throws {
        try db.execute(
            cached: """
                INSERT INTO store (singleton, worker, role, team, replica, device, created_at, last_counter, head,
                                   hlc_wall, hlc_logical, pull_cursor)
                VALUES (1, ?, ?, ?, ?, ?, ?, 0, ?, 0, 0, 0)
                """,
            arguments: [
                identity.worker.rawValue, identity.role.rawValue, identity.team?.rawValue,
                identity.replica.description, identity.device.description, now, Data(OperationHash.genesis.bytes),
            ])
    }

    /// Saves the replica's counter, chain head and clock.
    static func saveReplica(_ db: Database, _ replica: LocalReplica) throws {
        try db.run(
            "UPDATE store SET last_counter = ?, head = ?, hlc_wall = ?, hlc_logical = ? WHERE singleton = 1",
            [
                .int(Int64(replica.lastCounter)), .blob(replica.head.bytes), .int(replica.clock.latest.wallMillis),
                .int(Int64(replica.clock.latest.logical)),
            ])
    }
}
