public import CareModel
import Foundation
import GRDB

extension SQLiteSyncStorage {
    public func saveWorker(_ worker: Worker) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO workers (id, roles, teams, active) VALUES (?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET roles = excluded.roles, teams = excluded.teams, active = excluded.active
                    """,
                arguments: [
                    worker.id.rawValue, worker.roles.map(\.rawValue).joined(separator: ","),
                    worker.teams.map(\.rawValue).joined(separator: ","), worker.active,
                ])
        }
    }

    public func worker(_ id: WorkerID) async throws -> Worker? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, roles, teams, active FROM workers WHERE id = ?", arguments: [id.rawValue])
                .map { Self.worker(id: WorkerID(unchecked: $0[0]), roles: $0[1], teams: $0[2], active: $0[3]) }
        }
    }

    public func workers() async throws -> [Worker] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, roles, teams, active FROM workers ORDER BY id")
                .map { Self.worker(id: WorkerID(unchecked: $0[0]), roles: $0[1], teams: $0[2], active: $0[3]) }
        }
    }

    public func saveResident(_ resident: Resident) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO residents (id, team) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET team = excluded.team",
                arguments: [resident.id.rawValue, resident.team.rawValue])
        }
    }

    public func residents() async throws -> [Resident] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, team FROM residents ORDER BY id")
                .map { Resident(id: ResidentID(unchecked: $0[0]), team: TeamID(unchecked: $0[1])) }
        }
    }

    public func saveEnrolmentCode(hash: [UInt8], worker: WorkerID, createdAt: Int64, expiresAt: Int64) async throws {
        try await pool.write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM workers WHERE id = ?", arguments: [worker.rawValue]) != nil
            else {
                throw ServerError(.unknownWorker, "no worker with this id", field: "worker", status: .notFound)
            }
            try db.execute(
                sql: "INSERT INTO enrolment_codes (code_hash, worker, created_at, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [Data(hash), worker.rawValue, createdAt, expiresAt])
        }
    }

    /// A worker from its stored columns (comma-separated roles and teams).
    static func worker(id: WorkerID, roles: String, teams: String, active: Bool) -> Worker {
        Worker.fromColumns(id: id.rawValue, roles: roles, teams: teams, active: active)
    }
}
