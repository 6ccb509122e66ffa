/// Calls `body` with OpenVINO's `ov_property_t` array for `properties`: `count` pairs of
/// `{ const char* key; const void* value; }`, laid out as `2 × count` pointers (the struct
/// is two pointers with no padding). Every value is a C string, which is how OpenVINO's C
/// layer reads the value of every property this package sets. The strings and the array
/// live only inside `body`; OpenVINO copies what it keeps.
func withOVProperties<R>(
    _ properties: [(key: String, value: String)],
    _ body: (Int, OVAPI.PropertyArray?) throws(OVError) -> R
) throws(OVError) -> R {
    guard !properties.isEmpty else { return try body(0, nil) }
    var strings: [UnsafeMutablePointer<CChar>] = []
    defer { strings.forEach { $0.deallocate() } }
    var pairs: [UnsafeRawPointer?] = []
    pairs.reserveCapacity(2 * properties.count)
    for (key, value) in properties {
        for text in [key, value] {
            let utf8 = Array(text.utf8CString)
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
            copy.initialize(from: utf8, count: utf8.count)
            strings.append(copy)
            pairs.append(UnsafeRawPointer(copy))
        }
    }
    return try pairs.withUnsafeBufferPointer { (buffer) throws(OVError) -> R in
        try body(properties.count, buffer.baseAddress)
    }
}
