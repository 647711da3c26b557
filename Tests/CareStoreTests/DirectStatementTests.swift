import GRDB
import Testing

@testable import CareStore

/// The write path's statements bound and stepped through SQLite's C API, and
/// its transaction helper, on a real SQLite file.
struct DirectStatementTests {
    let folder: TemporaryFolder
    let pool: DatabasePool

    init() throws {
        folder = try TemporaryFolder()
        pool = try DatabasePool(path: folder.file("direct.sqlite"))
        try pool.write { db in
            try db.execute(sql: "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL, body BLOB NOT NULL, note TEXT)")
        }
    }

    @Test("values come back as bound: empty text and blob stay empty, not NULL; NULL stays NULL")
    func roundTrip() async throws {
        let rows = try await pool.write { db -> [String] in
            try db.run(
                "INSERT INTO item (id, name, body, note) VALUES (?, ?, ?, ?)",
                [.int(1), .text(""), .blob([]), .text(orNull: nil)])
            try db.run(
                "INSERT INTO item (id, name, body, note) VALUES (?, ?, ?, ?)",
                [.int(2), .text("Zoë ✓"), .blob([0, 1, 255]), .text(orNull: "n")])
            var rows: [String] = []
            try db.forEachRow("SELECT id, name, body, note, typeof(name), typeof(body) FROM item WHERE id >= ? ORDER BY id", [.int(1)]) {
                rows.append("\($0.int(0)) \($0.text(orNull: 1)!) \($0.blob(2)) \($0.text(orNull: 3) ?? "nil") \($0.text(orNull: 4)!) \($0.text(orNull: 5)!)")
            }
            return rows
        }
        #expect(rows == ["1  [] nil text blob", "2 Zoë ✓ [0, 1, 255] n text blob"])
        let missing = try await pool.read { db in try db.firstRow("SELECT id FROM item WHERE id = ?", [.int(3)]) { $0.int(0) } }
        #expect(missing == nil)
    }

    @Test("a failing statement throws SQLite's error, and the transaction leaves nothing")
    func errorsRollBack() async throws {
        let cache = RecordStateCache()
        let duplicate = await #expect(throws: DatabaseError.self) {
            try await pool.write(handingOverTo: cache) { db in
                try db.run("INSERT INTO item (id, name, body) VALUES (?, ?, ?)", [.int(1), .text("a"), .blob([1])])
                try db.run("INSERT INTO item (id, name, body) VALUES (?, ?, ?)", [.int(1), .text("b"), .blob([2])])
            }
        }
        #expect(duplicate?.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY)
        let null = await #expect(throws: DatabaseError.self) {
            try await pool.write(handingOverTo: cache) { db in
                try db.run("INSERT INTO item (id, name, body) VALUES (?, ?, ?)", [.int(1), .null, .blob([1])])
            }
        }
        #expect(null?.extendedResultCode == .SQLITE_CONSTRAINT_NOTNULL)
        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM item") } == 0)
        // The connection is usable again, and a returning body commits.
        try await pool.write(handingOverTo: cache) { db in
            try db.run("INSERT INTO item (id, name, body) VALUES (?, ?, ?)", [.int(1), .text("a"), .blob([1])])
        }
        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM item") } == 1)
    }
}
