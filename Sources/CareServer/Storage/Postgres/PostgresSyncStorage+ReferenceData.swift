public import CareModel
import PostgresNIO

extension PostgresSyncStorage {
    public func saveWorker(_ worker: Worker) async throws {
        let roles = worker.roles.map(\.rawValue).joined(separator: ",")
        let teams = worker.teams.map(\.rawValue).joined(separator: ",")
        try await client.query(
            """
            INSERT INTO workers (id, roles, teams, active) VALUES (\(worker.id.rawValue), \(roles), \(teams), \(worker.active))
            ON CONFLICT (id) DO UPDATE SET roles = excluded.roles, teams = excluded.teams, active = excluded.active
            """, logger: logger)
    }

    public func worker(_ id: WorkerID) async throws -> Worker? {
        try await workers(where: "WHERE id = \(id.rawValue)").first
    }

    public func workers() async throws -> [Worker] {
        try await workers(where: "")
    }

    private func workers(where condition: PostgresQuery) async throws -> [Worker] {
        var query = PostgresQuery(unsafeSQL: "SELECT id, roles, teams, active FROM workers ")
        query.sql += condition.sql + " ORDER BY id"
        query.binds = condition.binds
        var workers: [Worker] = []
        for try await (id, roles, teams, active) in try await client.query(query, logger: logger)
            .decode((String, String, String, Bool).self)
        {
            workers.append(Worker.fromColumns(id: id, roles: roles, teams: teams, active: active))
        }
        return workers
    }

    public func saveResident(_ resident: Resident) async throws {
        try await client.query(
            """
            INSERT INTO residents (id, team) VALUES (\(resident.id.rawValue), \(resident.team.rawValue))
            ON CONFLICT (id) DO UPDATE SET team = excluded.team
            """, logger: logger)
    }

    public func residents() async throws -> [Resident] {
        var residents: [Resident] = []
        for try await (id, team) in try await client.query("SELECT id, team FROM residents ORDER BY id", logger: logger)
            .decode((String, String).self)
        {
            residents.append(Resident(id: ResidentID(unchecked: id), team: TeamID(unchecked: team)))
        }
        return residents
    }

    public func saveEnrolmentCode(hash: [UInt8], worker: WorkerID, createdAt: Int64, expiresAt: Int64) async throws {
        do {
            try await client.query(
                """
                INSERT INTO enrolment_codes (code_hash, worker, created_at, expires_at)
                VALUES (\(ByteBuffer(bytes: hash)), \(worker.rawValue), \(createdAt), \(expiresAt))
                """, logger: logger)
        } catch let error where Self.violates(error, constraint: "enrolment_codes_worker_fkey") {
            throw ServerError(.unknownWorker, "no worker with this id", field: "worker", status: .notFound)
        }
    }
}
