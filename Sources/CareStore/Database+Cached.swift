import GRDB

extension Database {
    /// Executes `sql` through a statement prepared once per connection and
    /// reused: the store's hot paths (every write) run the same few statements,
    /// and preparing them anew each time costs more than running them.
    func execute(cached sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
