import Foundation
import PostgresNIO

/// A PostgreSQL connection URL, `postgres://user:password@host:port/database?sslmode=MODE`
/// (or `postgresql://`), as `--database` and `CARESYNC_DATABASE` take it.
///
/// `sslmode` is `disable`, `prefer` (the default: TLS when the server offers it)
/// or `require` (TLS with certificate and host name verification). The port
/// defaults to 5432, the user to `postgres`; user and password are percent-decoded.
struct PostgresURL {
    static let schemes: Set<String> = ["postgres", "postgresql"]

    /// Whether `text` names a PostgreSQL database rather than a SQLite file.
    static func isPostgres(_ text: String) -> Bool {
        guard let scheme = text.split(separator: ":", maxSplits: 1).first else { return false }
        return schemes.contains(scheme.lowercased())
    }

    /// `text` with its password replaced, for logs.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? "postgres://***"
    }

    let configuration: PostgresClient.Configuration

    init(_ text: String) throws(ServerError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            Self.schemes.contains(scheme.lowercased()), let host = components.host, !host.isEmpty
        else {
            throw Self.invalid("expected postgres://user:password@host:port/database")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        var tls = PostgresClient.Configuration.TLS.prefer(.makeClientConfiguration())
        for item in components.queryItems ?? [] {
            switch (item.name, item.value) {
            case ("sslmode", "disable"): tls = .disable
            case ("sslmode", "prefer"): tls = .prefer(.makeClientConfiguration())
            case ("sslmode", "require"): tls = .require(.makeClientConfiguration())
            default: throw Self.invalid("unsupported URL parameter \(item.name)=\(item.value ?? "")")
            }
        }
        configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
            password: components.password, database: database.isEmpty ? nil : database, tls: tls)
    }

    private static func invalid(_ message: String) -> ServerError {
        ServerError(.invalidParameter, "invalid database URL: \(message)", field: "database", status: .badRequest)
    }
}
