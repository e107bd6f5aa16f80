import FoundationEssentials

/// Where and how to connect. `description` never shows the password, so it can be logged.
public struct PostgresConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// Host name, IP address, or a directory containing the Unix socket (starts with "/").
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// Shown in `pg_stat_activity`; helps find which service holds a lock.
    public var applicationName: String = "asysta"
    /// Maximum number of connections the pool opens (lazily, on demand).
    public var poolSize: Int = 8
    public var connectTimeout: Duration = .seconds(5)
    /// libpq sslmode: disable, allow, prefer, require, verify-ca, verify-full.
    public var sslMode: String = "prefer"

    public init(
        host: String = "localhost", port: Int = 5432, user: String, password: String? = nil, database: String,
        applicationName: String = "asysta", poolSize: Int = 8, connectTimeout: Duration = .seconds(5),
        sslMode: String = "prefer"
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.applicationName = applicationName
        self.poolSize = poolSize
        self.connectTimeout = connectTimeout
        self.sslMode = sslMode
    }

    /// Parses `postgres://user:pass@host:port/db?sslmode=require&application_name=x&pool_size=4`.
    /// User and password may be percent-encoded; a percent-encoded path as host is a socket dir.
    public init(url: String) throws {
        guard let components = URLComponents(string: url),
            components.scheme == "postgres" || components.scheme == "postgresql"
        else {
            throw PostgresError(kind: .connection, message: "not a postgres:// URL")
        }
        guard let user = components.user, !user.isEmpty else {
            throw PostgresError(kind: .connection, message: "postgres URL has no user")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        self.init(
            host: components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost",
            port: components.port ?? 5432,
            user: user,
            password: components.password,
            database: database.isEmpty ? user : database
        )
        for item in components.queryItems ?? [] {
            guard let value = item.value else { continue }
            switch item.name {
            case "sslmode": sslMode = value
            case "application_name": applicationName = value
            case "pool_size":
                guard let size = Int(value), size > 0 else {
                    throw PostgresError(kind: .connection, message: "invalid pool_size in postgres URL")
                }
                poolSize = size
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0 else {
                    throw PostgresError(kind: .connection, message: "invalid connect_timeout in postgres URL")
                }
                connectTimeout = .seconds(seconds)
            default:
                throw PostgresError(kind: .connection, message: "unsupported postgres URL parameter \(item.name)")
            }
        }
    }

    public var description: String {
        "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
    }

    /// libpq keyword/value pairs. Session settings pin the text formats we parse.
    var libpqParameters: [(String, String)] {
        // libpq's connect_timeout is whole seconds and treats anything below 2 as 2.
        let timeout = max(2, Int(connectTimeout.components.seconds) + (connectTimeout.components.attoseconds > 0 ? 1 : 0))
        var params: [(String, String)] = [
            ("host", host),
            ("port", String(port)),
            ("user", user),
            ("dbname", database),
            ("application_name", applicationName),
            ("sslmode", sslMode),
            ("connect_timeout", String(timeout)),
            ("client_encoding", "UTF8"),
            ("options", "-c DateStyle=ISO,MDY -c TimeZone=UTC -c IntervalStyle=postgres -c extra_float_digits=1"),
        ]
        if let password { params.append(("password", password)) }
        return params
    }
}
