public import GRDB
import GRDBSQLite

/// A value bound to one parameter of a statement run through SQLite's C API
/// (`Database.run(_:_:)`, `Database.firstRow(_:_:_:)`).
public enum SQLArgument: Sendable {
    case int(Int64)
    case text(String)
    case blob([UInt8])
    case null

    public static func bool(_ value: Bool) -> SQLArgument { .int(value ? 1 : 0) }

    public static func int(orNull value: Int64?) -> SQLArgument { value.map { .int($0) } ?? .null }

    public static func text(orNull value: String?) -> SQLArgument { value.map { .text($0) } ?? .null }
}

/// The current row of a statement stepped by `Database.firstRow(_:_:_:)`,
/// read by column position; valid only inside the closure that receives it.
public struct SQLRow {
    fileprivate let statement: SQLiteStatement

    public func isNull(_ column: CInt) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    public func int(_ column: CInt) -> Int64 { sqlite3_column_int64(statement, column) }

    public func int(orNull column: CInt) -> Int64? { isNull(column) ? nil : int(column) }

    public func text(orNull column: CInt) -> String? {
        guard let characters = sqlite3_column_text(statement, column) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: characters, count: count), as: UTF8.self)
    }

    public func blob(_ column: CInt) -> [UInt8] {
        // The pointer first, then the size (SQLite's documented order).
        guard let bytes = sqlite3_column_blob(statement, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column))))
    }
}

/// `SQLITE_TRANSIENT`: SQLite copies the bound bytes before the call returns.
private var transient: sqlite3_destructor_type {
    unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}

extension Database {
    /// Runs `sql` with `arguments`, straight through SQLite's C API on a
    /// statement from GRDB's per-connection cache.
    ///
    /// For the statements a hot write runs (the device's op log, outbox and
    /// screens' tables; the server's log and indexes): GRDB's generic path
    /// (arguments as existentials turned into `DatabaseValue`s, row cursors,
    /// observation bookkeeping) cost more CPU than SQLite's own work for these
    /// one-row statements. Only for statements that neither begin nor end a
    /// transaction (GRDB keeps track of those), run inside a transaction GRDB
    /// knows of, on a database with no GRDB observer that would need to see
    /// each change.
    public func run(_ sql: String, _ arguments: [SQLArgument]) throws {
        let statement = try prepared(sql, arguments)
        defer { sqlite3_reset(statement) }
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_DONE: return
            case SQLITE_ROW: continue
            case let code: throw stepError(code, sql)
            }
        }
    }

    /// The first row of `sql` with `arguments`, read by `read`; nil if there is
    /// none. Runs like `run(_:_:)`.
    public func firstRow<T>(_ sql: String, _ arguments: [SQLArgument] = [], _ read: (SQLRow) throws -> T) throws -> T? {
        let statement = try prepared(sql, arguments)
        defer { sqlite3_reset(statement) }
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return try read(SQLRow(statement: statement))
        case SQLITE_DONE: return nil
        case let code: throw stepError(code, sql)
        }
    }

    /// Calls `body` with each row of `sql` with `arguments`. Runs like `run(_:_:)`.
    public func forEachRow(_ sql: String, _ arguments: [SQLArgument], _ body: (SQLRow) throws -> Void) throws {
        let statement = try prepared(sql, arguments)
        defer { sqlite3_reset(statement) }
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_ROW: try body(SQLRow(statement: statement))
            case SQLITE_DONE: return
            case let code: throw stepError(code, sql)
            }
        }
    }

    private func prepared(_ sql: String, _ arguments: [SQLArgument]) throws -> SQLiteStatement {
        let statement = try cachedStatement(sql: sql).sqliteStatement
        sqlite3_reset(statement)
        for (index, argument) in arguments.enumerated() {
            let position = CInt(index + 1)
            let code: CInt
            switch argument {
            case .int(let value):
                code = sqlite3_bind_int64(statement, position, value)
            case .text(var value):
                code = value.withUTF8 { text in
                    // A null pointer would bind NULL, not the empty string.
                    guard let start = text.baseAddress, !text.isEmpty else {
                        return sqlite3_bind_text(statement, position, "", 0, transient)
                    }
                    return start.withMemoryRebound(to: CChar.self, capacity: text.count) {
                        sqlite3_bind_text(statement, position, $0, CInt(text.count), transient)
                    }
                }
            case .blob(let bytes):
                code = bytes.withUnsafeBytes { buffer in
                    guard let start = buffer.baseAddress, !buffer.isEmpty else {
                        return sqlite3_bind_zeroblob(statement, position, 0)
                    }
                    return sqlite3_bind_blob(statement, position, start, CInt(buffer.count), transient)
                }
            case .null:
                code = sqlite3_bind_null(statement, position)
            }
            guard code == SQLITE_OK else { throw stepError(code, sql) }
        }
        return statement
    }

    private func stepError(_ code: CInt, _ sql: String) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: sqlite3_extended_errcode(sqliteConnection)),
            message: String(cString: sqlite3_errmsg(sqliteConnection)), sql: sql)
    }
}
