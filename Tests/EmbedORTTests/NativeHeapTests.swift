import EmbedORT
import Testing

/// `NativeHeap.releaseFreeMemory()` finds glibc's `malloc_trim` at run time and reports
/// whether it gave memory back; elsewhere it reports that it cannot.
struct NativeHeapTests {
    @Test func freedHeapMemoryIsGivenBack() {
        // 32 MB in 1 KB blocks: below glibc's mmap threshold, so they live in the heap.
        var blocks: [[UInt8]] = (0..<32_768).map { [UInt8](repeating: UInt8($0 & 0xff), count: 1024) }
        #expect(blocks.count == 32_768 && blocks[7][0] == 7)
        blocks = []
        #if os(Linux) && canImport(Glibc)
        #expect(NativeHeap.releaseFreeMemory(), "glibc's malloc_trim should find free pages after 32 MB were freed")
        #else
        #expect(!NativeHeap.releaseFreeMemory())
        #endif
    }
}
