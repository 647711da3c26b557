import CareModel

/// JSON columns: written as canonical JSON of a model ``Value``, read back as one.
enum JSONColumn {
    static func encode(_ value: Value) -> String {
        var writer = CanonicalJSONWriter(reservingCapacity: 128)
        writer.value(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    static func encode(_ strings: [String]) -> String {
        encode(.list(strings.map(Value.string)))
    }

    static func decode(_ text: String) throws -> Value {
        guard case .success(let value) = Result(catching: { () throws(JSONReadError) in try Value(json: Array(text.utf8)) })
        else {
            throw CareStoreError(.corruptDatabase, "a JSON column does not decode")
        }
        return value
    }

    static func strings(_ text: String) throws -> [String] {
        (try decode(text).listValue ?? []).compactMap(\.stringValue)
    }
}
