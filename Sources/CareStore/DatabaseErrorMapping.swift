import CareModel
import GRDB

extension CareStoreError {
    /// Maps any error thrown inside a database access to a store error. Store
    /// and model errors pass through; SQLite errors get a code by kind. SQL
    /// arguments are never part of the message (GRDB leaves them out unless
    /// `publicStatementArguments` is set, which the store never does).
    static func wrapping(_ error: any Error) -> CareStoreError {
        switch error {
        case let error as CareStoreError:
            return error
        case let error as CareModelError:
            return CareStoreError(error)
        case let error as DatabaseError:
            switch error.resultCode {
            case .SQLITE_CORRUPT:
                return CareStoreError(.corruptDatabase, "the database file is damaged (\(error.message ?? "corrupt"))")
            case .SQLITE_NOTADB:
                return CareStoreError(.notADatabase, "the file is not an SQLite database")
            case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN:
                return CareStoreError(
                    .readOnlyLocation, "the database or its folder cannot be written (\(error.resultCode))")
            case .SQLITE_FULL:
                return CareStoreError(.diskFull, "the device is out of storage")
            default:
                return CareStoreError(.database, "SQLite error \(error.resultCode): \(error.message ?? "")")
            }
        default:
            return CareStoreError(.database, "unexpected error: \(type(of: error))")
        }
    }
}

