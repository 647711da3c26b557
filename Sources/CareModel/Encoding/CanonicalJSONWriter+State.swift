extension CanonicalJSONWriter {
    /// Writes a record's merged state in canonical form, with sorted keys:
    /// `created`, `derived`, `fields`, `ref`, `version`.
    mutating func recordState(_ state: RecordState) {
        raw("{")
        key("created")
        list(state.creations) { writer, creation in
            writer.raw("{")
            writer.key("author")
            writer.string(creation.author.rawValue)
            writer.raw(",")
            writer.key("device")
            writer.uuid(creation.device.uuid)
            writer.raw(",")
            writer.key("deviceTime")
            writer.int(creation.deviceTime)
            writer.raw(",")
            writer.key("hlc")
            writer.timestamp(creation.timestamp)
            writer.raw(",")
            writer.key("id")
            writer.dot(creation.dot)
            writer.raw("}")
        }
        raw(",")
        key("derived")
        value(.object(DerivedValues.of(state)))
        raw(",")
        key("fields")
        raw("{")
        let fields = state.fields
        for (index, name) in fields.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if index > 0 { raw(",") }
            string(name)
            raw(":")
            fieldState(fields[name]!)
        }
        raw("}")
        raw(",")
        key("ref")
        raw("{")
        key("id")
        uuid(state.ref.id.uuid)
        raw(",")
        key("kind")
        string(state.ref.kind.rawValue)
        raw("}")
        raw(",")
        key("version")
        versionVector(state.version)
        raw("}")
    }

    private mutating func fieldState(_ state: FieldState) {
        raw("{")
        switch state {
        case .register(let register):
            if !register.history.isEmpty {
                key("history")
                list(register.history) { $0.fieldWrite($1) }
                raw(",")
            }
            key("values")
            list(register.siblings) { $0.fieldWrite($1) }
        case .lastWriter(let write):
            key("value")
            fieldWrite(write)
        case .log(let log):
            key("entries")
            list(log.entries) { writer, entry in
                writer.fieldWrite(entry.write, index: entry.index)
            }
        case .maximum(let current, _):
            key("max")
            value(current)
        case .immutable(let writes):
            key("values")
            list(writes) { $0.fieldWrite($1) }
        }
        raw("}")
    }

    private mutating func fieldWrite(_ write: FieldWrite, index: Int? = nil) {
        raw("{")
        key("author")
        string(write.author.rawValue)
        raw(",")
        key("hlc")
        timestamp(write.timestamp)
        raw(",")
        key("id")
        dot(write.dot)
        if let index {
            raw(",")
            key("index")
            int(Int64(index))
        }
        raw(",")
        key("value")
        value(write.value)
        raw("}")
    }

    private mutating func list<Element>(_ elements: [Element], _ body: (inout CanonicalJSONWriter, Element) -> Void) {
        raw("[")
        for (index, element) in elements.enumerated() {
            if index > 0 { raw(",") }
            body(&self, element)
        }
        raw("]")
    }
}
