/// An identifier made of a ``UUIDValue``: records, replicas and devices.
///
/// Conforming types are distinct so that a record id can never be passed where a
/// replica id is expected; they share parsing, printing, ordering and coding.
public protocol UUIDIdentifier: Hashable, Comparable, Sendable, Codable, LosslessStringConvertible {
    /// The identifier's bits.
    var uuid: UUIDValue { get }
    /// Wraps the given bits.
    init(uuid: UUIDValue)
}

extension UUIDIdentifier {
    public init?(_ description: String) {
        guard let uuid = UUIDValue(description) else { return nil }
        self.init(uuid: uuid)
    }

    public var description: String { uuid.description }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.uuid < rhs.uuid }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let uuid = UUIDValue(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a hyphenated UUID")
        }
        self.init(uuid: uuid)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The identifier of a record (a visit, a note, a missed call, an abuse report):
/// a UUIDv7 made on the device that created the record.
public struct RecordID: UUIDIdentifier {
    public let uuid: UUIDValue
    public init(uuid: UUIDValue) { self.uuid = uuid }
}

/// The identifier of a replica: one operation log with its own counter, hash chain
/// and signing key. A device store for one worker is one replica; so is a server
/// instance writing alerts of its own.
public struct ReplicaID: UUIDIdentifier {
    public let uuid: UUIDValue
    public init(uuid: UUIDValue) { self.uuid = uuid }
}

/// The identifier of an enrolled device (a phone), given at enrolment.
public struct DeviceID: UUIDIdentifier {
    public let uuid: UUIDValue
    public init(uuid: UUIDValue) { self.uuid = uuid }
}
