/// How long a `SET` key lives.
public enum RedisExpiration: Sendable, Equatable {
    /// `EX seconds`.
    case seconds(Int)
    /// `PX milliseconds`.
    case milliseconds(Int)
}
