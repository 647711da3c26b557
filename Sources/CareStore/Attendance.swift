import CareModel

/// How a worker's attendance was verified (``Visit/verificationMethods``).
public struct VerificationMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let nfc = VerificationMethod(rawValue: "nfc")
    public static let qr = VerificationMethod(rawValue: "qr")
    public static let gps = VerificationMethod(rawValue: "gps")
    public static let telephony = VerificationMethod(rawValue: "telephony")
    public static let manual = VerificationMethod(rawValue: "manual")
}

/// The evidence captured at a check-in or check-out, besides the time (the
/// device's clock reading when the call is made).
public struct AttendanceEvidence: Sendable, Hashable {
    public var method: VerificationMethod
    /// GPS position in micro-degrees, when the method gives one.
    public var latitudeE6: Int64?
    public var longitudeE6: Int64?
    /// The NFC tag or QR code read, if any.
    public var tag: String?

    public init(method: VerificationMethod, latitudeE6: Int64? = nil, longitudeE6: Int64? = nil, tag: String? = nil) {
        self.method = method
        self.latitudeE6 = latitudeE6
        self.longitudeE6 = longitudeE6
        self.tag = tag
    }

    func value(at time: Int64) -> Value {
        var members: [String: Value] = ["time": .int(time), "method": .string(method.rawValue)]
        if let latitudeE6 { members["latitude_e6"] = .int(latitudeE6) }
        if let longitudeE6 { members["longitude_e6"] = .int(longitudeE6) }
        if let tag { members["tag"] = .string(tag) }
        return .object(members)
    }
}

/// A task the worker did at a visit.
public struct TaskDone: Sendable, Hashable {
    public var task: String
    public var quantity: Int64?
    public var note: String?

    public init(task: String, quantity: Int64? = nil, note: String? = nil) {
        self.task = task
        self.quantity = quantity
        self.note = note
    }

    var value: Value {
        var members: [String: Value] = ["task": .string(task)]
        if let quantity { members["quantity"] = .int(quantity) }
        if let note { members["note"] = .string(note) }
        return .object(members)
    }
}
