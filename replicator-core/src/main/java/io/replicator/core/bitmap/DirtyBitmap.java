package io.replicator.core.bitmap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The out-of-sync bitmap of one peer slot: one bit per 4 KiB block, where 1 means the block may differ from the peer
 * and needs resync. Volumes up to 1 PiB (2^38 blocks) are supported, so block numbers are {@code long}.
 *
 * <p>Implementation notes and invariants:
 * <ul>
 *   <li>The words live in {@code long[]} chunks of {@code 2^chunkWordsShift} words (128 MiB by default, the bitmap of
 *       a 4 TiB volume), because one Java array cannot hold the 2^32 words of a 1 PiB bitmap. Memory is the words
 *       plus one array header per chunk, the page-dirty set (1 KiB per TiB) and a 1 KiB striped counter: 32 MiB
 *       and about 2 KiB for a 1 TiB volume.</li>
 *   <li>Bits at or past {@link #blockCount()} in the last word are always 0; every mutator masks them off. Scans rely
 *       on this and never look at the end.</li>
 *   <li>Every change of a word is one atomic read-modify-write ({@code getAndBitwiseOr/And}), so concurrent writers
 *       never lose each other's bits. A change that is already true (setting a set bit, clearing a clear bit) is
 *       skipped after a cheap opaque read, which keeps the hot path of repeated writes to a dirty block CAS-free.</li>
 *   <li>{@link #cardinality()} is changed only by the thread whose atomic op flipped the bits, by exactly the number
 *       of bits it flipped, in that thread's stripe of a padded counter array; the sum of the stripes is therefore
 *       exact whenever the bitmap is quiescent (and off by no more than the in-flight ops otherwise).</li>
 *   <li>A word change marks its 4 KiB page dirty <em>after</em> the word op, with a volatile check-then-or. A
 *       writeout claims a page (atomic clear of its bit) <em>before</em> reading the words with volatile reads, so
 *       it either sees the change or leaves the page-dirty bit set for the next round: no change is ever lost.</li>
 *   <li>Scans ({@link #nextSetBit}, {@link #nextClearBit}) use plain reads: they race with writers by nature and
 *       report some state each word had during the scan. Callers that need a happens-before get it elsewhere (the
 *       resync and the activity log synchronize on their own).</li>
 * </ul>
 * No method allocates.
 */
public final class DirtyBitmap {
    /** log2 of the bytes covered by one bit. */
    public static final int BLOCK_SHIFT = 12;
    /** Bytes covered by one bit. */
    public static final long BLOCK_BYTES = 1L << BLOCK_SHIFT;
    /** Largest supported bitmap: a 1 PiB volume. */
    public static final long MAX_BLOCKS = 1L << (50 - BLOCK_SHIFT);
    /** Words in one persisted 4 KiB page. */
    public static final int WORDS_PER_PAGE = 512;
    /** Bits in one persisted 4 KiB page. */
    public static final int BLOCKS_PER_PAGE = WORDS_PER_PAGE * Long.SIZE;
    /** Bytes in one persisted page. */
    public static final int PAGE_BYTES = WORDS_PER_PAGE * Long.BYTES;

    static final int DEFAULT_CHUNK_WORDS_SHIFT = 24;
    private static final int WORDS_PER_PAGE_SHIFT = 9;

    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);
    /** Counter stripes, so that writer threads on different cores do not bounce one cache line per new dirty bit. */
    private static final int COUNT_STRIPES = 8;
    /** 16 longs = 128 bytes between stripes: two cache lines, beyond the adjacent-line prefetcher. */
    private static final int COUNT_STRIDE_SHIFT = 4;

    private final long blockCount;
    private final long wordCount;
    private final long pageCount;
    private final int chunkWordsShift;
    private final int chunkWordsMask;
    private final long[][] chunks;
    /** {@code chunks[0]}, read without the extra indirection on the scan fast path (all of a bitmap up to 4 TiB). */
    private final long[] head;
    /** One bit per page; 1 = the page changed since it was last claimed for writeout. */
    private final long[] dirtyPages;
    /** Dirty-bit count split over padded stripes; the sum is the cardinality. */
    private final long[] counts = new long[COUNT_STRIPES << COUNT_STRIDE_SHIFT];

    /** An all-clean bitmap for a volume of {@code blockCount} 4 KiB blocks. */
    public DirtyBitmap(long blockCount) {
        this(blockCount, DEFAULT_CHUNK_WORDS_SHIFT);
    }

    /** Tests use small chunks to exercise chunk boundaries without gigabytes of heap. */
    DirtyBitmap(long blockCount, int chunkWordsShift) {
        if (blockCount < 0 || blockCount > MAX_BLOCKS) {
            throw new IllegalArgumentException("blockCount " + blockCount + " outside [0, " + MAX_BLOCKS + "]");
        }
        if (chunkWordsShift < 1 || chunkWordsShift > 30) {
            throw new IllegalArgumentException("chunkWordsShift " + chunkWordsShift + " outside [1, 30]");
        }
        this.blockCount = blockCount;
        this.wordCount = (blockCount + Long.SIZE - 1) >>> 6;
        this.pageCount = (wordCount + WORDS_PER_PAGE - 1) >>> WORDS_PER_PAGE_SHIFT;
        this.chunkWordsShift = chunkWordsShift;
        this.chunkWordsMask = (1 << chunkWordsShift) - 1;
        long chunkWords = 1L << chunkWordsShift;
        int chunkCount = (int) ((wordCount + chunkWords - 1) >>> chunkWordsShift);
        this.chunks = new long[chunkCount][];
        for (int c = 0; c < chunkCount; c++) {
            chunks[c] = new long[(int) Math.min(chunkWords, wordCount - ((long) c << chunkWordsShift))];
        }
        this.head = chunkCount > 0 ? chunks[0] : new long[0];
        this.dirtyPages = new long[(int) ((pageCount + Long.SIZE - 1) >>> 6)];
    }

    /** Blocks of {@code BLOCK_BYTES} needed to cover {@code sizeBytes}. */
    public static long blocksFor(long sizeBytes) {
        return (sizeBytes + BLOCK_BYTES - 1) >>> BLOCK_SHIFT;
    }

    /** The block holding byte {@code offsetBytes}. */
    public static long blockOf(long offsetBytes) {
        return offsetBytes >>> BLOCK_SHIFT;
    }

    /** First byte of {@code block}. */
    public static long offsetBytesOf(long block) {
        return block << BLOCK_SHIFT;
    }

    /** Number of bits, one per block of the volume. */
    public long blockCount() {
        return blockCount;
    }

    /** Number of 4 KiB pages the bitmap is persisted in. */
    public long pageCount() {
        return pageCount;
    }

    /** Number of dirty blocks; exact whenever no mutator is running. */
    public long cardinality() {
        long sum = 0;
        for (int stripe = 0; stripe < COUNT_STRIPES; stripe++) {
            sum += (long) WORD.getVolatile(counts, stripe << COUNT_STRIDE_SHIFT);
        }
        return sum;
    }

    /** Whether {@code block} is dirty. */
    public boolean get(long block) {
        checkBlock(block);
        long word = block >>> 6;
        return ((long) WORD.getAcquire(chunks[chunkOf(word)], indexOf(word)) & (1L << block)) != 0;
    }

    /** Marks {@code block} dirty. Safe from any number of threads; no CAS when it is dirty already. */
    public void set(long block) {
        checkBlock(block);
        long word = block >>> 6;
        if (orWord(word, 1L << block) != 0) {
            count(1L);
        }
    }

    /** Marks {@code block} clean. Safe from any number of threads. */
    public void clear(long block) {
        checkBlock(block);
        long word = block >>> 6;
        if (andNotWord(word, 1L << block) != 0) {
            count(-1L);
        }
    }

    /** Marks {@code [fromBlock, toBlockExclusive)} dirty; an empty range does nothing. */
    public void setRange(long fromBlock, long toBlockExclusive) {
        modifyRange(fromBlock, toBlockExclusive, true);
    }

    /** Marks {@code [fromBlock, toBlockExclusive)} clean; an empty range does nothing. */
    public void clearRange(long fromBlock, long toBlockExclusive) {
        modifyRange(fromBlock, toBlockExclusive, false);
    }

    /** Sets or clears a range word by word; the count moves by the bits that actually flipped. */
    private void modifyRange(long fromBlock, long toBlockExclusive, boolean set) {
        checkRange(fromBlock, toBlockExclusive);
        if (fromBlock == toBlockExclusive) {
            return;
        }
        long firstWord = fromBlock >>> 6;
        long lastWord = (toBlockExclusive - 1) >>> 6;
        long flipped = 0;
        for (long word = firstWord; word <= lastWord; word++) {
            long mask = rangeMask(word, firstWord, lastWord, fromBlock, toBlockExclusive);
            flipped += set ? orWord(word, mask) : andNotWord(word, mask);
        }
        if (flipped != 0) {
            count(set ? flipped : -flipped);
        }
    }

    /** Marks every block that a write of {@code lengthBytes} at {@code offsetBytes} touches dirty. */
    public void setBytes(long offsetBytes, long lengthBytes) {
        setRange(blockOf(offsetBytes), blocksFor(offsetBytes + lengthBytes));
    }

    /** Marks the whole volume dirty (full sync). */
    public void setAll() {
        setRange(0, blockCount);
    }

    /** Marks the whole volume clean. */
    public void clearAll() {
        clearRange(0, blockCount);
    }

    /** The first dirty block at or after {@code fromBlock}, or -1 when there is none. */
    public long nextSetBit(long fromBlock) {
        // Fast path for the head chunk (all of a bitmap up to 4 TiB), small enough to inline into the caller's loop:
        // dense bitmaps answer from the starting word, sparse ones from one simple counted loop, the shape the JIT
        // compiles best (measured: unrolled OR-of-4-words skipping was slower at 0.1 % dirty).
        long word = fromBlock >>> 6;
        long[] head = this.head;
        if (fromBlock >= 0 && word < head.length) {
            long bits = head[(int) word] & (-1L << fromBlock);
            if (bits != 0) {
                return (word << 6) + Long.numberOfTrailingZeros(bits);
            }
            long found = firstSetBit(head, (int) word + 1, 0);
            return found >= 0 || chunks.length == 1 ? found : nextSetBitInChunks(1, 0);
        }
        return nextSetBitOutsideHead(fromBlock);
    }

    /** The first clean block at or after {@code fromBlock}, or {@link #blockCount()} when there is none. */
    public long nextClearBit(long fromBlock) {
        long word = fromBlock >>> 6;
        long[] head = this.head;
        if (fromBlock >= 0 && word < head.length) {
            long bits = ~head[(int) word] & (-1L << fromBlock);
            long found = bits != 0
                ? (word << 6) + Long.numberOfTrailingZeros(bits)
                : firstClearBit(head, (int) word + 1, 0);
            if (found < 0 && chunks.length > 1) {
                found = nextClearBitInChunks(1, 0);
            }
            // The padding past blockCount reads as clean, hence the clamp.
            return found < 0 ? blockCount : Math.min(found, blockCount);
        }
        if (fromBlock < 0) {
            throw new IndexOutOfBoundsException("fromBlock < 0: " + fromBlock);
        }
        if (fromBlock >= blockCount) {
            return blockCount;
        }
        int c = chunkOf(word);
        int i = indexOf(word);
        long bits = ~chunks[c][i] & (-1L << fromBlock);
        long found = bits != 0 ? (word << 6) + Long.numberOfTrailingZeros(bits) : nextClearBitInChunks(c, i + 1);
        return found < 0 ? blockCount : Math.min(found, blockCount);
    }

    private long nextSetBitOutsideHead(long fromBlock) {
        if (fromBlock < 0) {
            throw new IndexOutOfBoundsException("fromBlock < 0: " + fromBlock);
        }
        if (fromBlock >= blockCount) {
            return -1;
        }
        long word = fromBlock >>> 6;
        int c = chunkOf(word);
        int i = indexOf(word);
        long bits = chunks[c][i] & (-1L << fromBlock);
        return bits != 0 ? (word << 6) + Long.numberOfTrailingZeros(bits) : nextSetBitInChunks(c, i + 1);
    }

    /** First set bit from word {@code index} of chunk {@code c} onward, or -1. */
    private long nextSetBitInChunks(int c, int index) {
        for (int i = index; c < chunks.length; c++, i = 0) {
            long found = firstSetBit(chunks[c], i, (long) c << (chunkWordsShift + 6));
            if (found >= 0) {
                return found;
            }
        }
        return -1;
    }

    /** First clear bit from word {@code index} of chunk {@code c} onward (maybe in the padding), or -1. */
    private long nextClearBitInChunks(int c, int index) {
        for (int i = index; c < chunks.length; c++, i = 0) {
            long found = firstClearBit(chunks[c], i, (long) c << (chunkWordsShift + 6));
            if (found >= 0) {
                return found;
            }
        }
        return -1;
    }

    /** {@code baseBlock} plus the first set bit of {@code words} from word {@code from} on, or -1. */
    private static long firstSetBit(long[] words, int from, long baseBlock) {
        for (int i = from; i < words.length; i++) {
            long bits = words[i];
            if (bits != 0) {
                return baseBlock + ((long) i << 6) + Long.numberOfTrailingZeros(bits);
            }
        }
        return -1;
    }

    /** {@code baseBlock} plus the first clear bit of {@code words} from word {@code from} on, or -1. */
    private static long firstClearBit(long[] words, int from, long baseBlock) {
        for (int i = from; i < words.length; i++) {
            long bits = ~words[i];
            if (bits != 0) {
                return baseBlock + ((long) i << 6) + Long.numberOfTrailingZeros(bits);
            }
        }
        return -1;
    }

    /** Calls {@code consumer} once per maximal run of dirty blocks, in ascending order. */
    public void forEachRun(RunConsumer consumer) {
        long start = nextSetBit(0);
        while (start >= 0) {
            long end = nextClearBit(start);
            consumer.accept(start, end);
            start = nextSetBit(end);
        }
    }

    // ---- page-dirty tracking for lazy writeout ----

    /** Whether {@code page} changed since it was last claimed. */
    public boolean isPageDirty(long page) {
        checkPage(page);
        return ((long) WORD.getVolatile(dirtyPages, (int) (page >>> 6)) & (1L << page)) != 0;
    }

    /** The first dirty page at or after {@code fromPage}, or -1 when there is none. */
    public long nextDirtyPage(long fromPage) {
        if (fromPage < 0) {
            throw new IndexOutOfBoundsException("fromPage < 0: " + fromPage);
        }
        if (fromPage >= pageCount) {
            return -1;
        }
        int i = (int) (fromPage >>> 6);
        long bits = (long) WORD.getVolatile(dirtyPages, i) & (-1L << fromPage);
        while (bits == 0) {
            if (++i == dirtyPages.length) {
                return -1;
            }
            bits = (long) WORD.getVolatile(dirtyPages, i);
        }
        return ((long) i << 6) + Long.numberOfTrailingZeros(bits);
    }

    /**
     * Atomically marks {@code page} clean and reports whether it was dirty. A caller that gets {@code true} owns the
     * writeout of that page and must read its words only after this call ({@link #copyPageTo}); if the writeout
     * fails it must {@link #markPageDirty} again.
     */
    public boolean claimPage(long page) {
        checkPage(page);
        long bit = 1L << page;
        int i = (int) (page >>> 6);
        if (((long) WORD.getVolatile(dirtyPages, i) & bit) == 0) {
            return false;
        }
        return ((long) WORD.getAndBitwiseAnd(dirtyPages, i, ~bit) & bit) != 0;
    }

    /** Marks {@code page} as needing writeout, e.g. after a failed write or to force a full writeout. */
    public void markPageDirty(long page) {
        checkPage(page);
        markPage(page);
    }

    /**
     * Puts the {@value #PAGE_BYTES} bytes of {@code page} into {@code dst} as little-endian words; words past the
     * end of the bitmap are written as zeros.
     */
    public void copyPageTo(long page, ByteBuffer dst) {
        checkPage(page);
        checkLittleEndian(dst);
        long firstWord = page << WORDS_PER_PAGE_SHIFT;
        for (int k = 0; k < WORDS_PER_PAGE; k++) {
            long word = firstWord + k;
            dst.putLong(word < wordCount ? (long) WORD.getVolatile(chunks[chunkOf(word)], indexOf(word)) : 0L);
        }
    }

    /**
     * Replaces the words of {@code page} with {@value #PAGE_BYTES} little-endian bytes from {@code src}, as read
     * from disk. Bits past the end of the bitmap are ignored. Does not mark the page dirty: memory now equals disk.
     */
    public void loadPage(long page, ByteBuffer src) {
        checkPage(page);
        checkLittleEndian(src);
        long firstWord = page << WORDS_PER_PAGE_SHIFT;
        long delta = 0;
        for (int k = 0; k < WORDS_PER_PAGE; k++) {
            long word = firstWord + k;
            long value = src.getLong();
            if (word >= wordCount) {
                continue;
            }
            if (word == wordCount - 1) {
                value &= -1L >>> -blockCount;
            }
            long old = (long) WORD.getAndSet(chunks[chunkOf(word)], indexOf(word), value);
            delta += Long.bitCount(value) - Long.bitCount(old);
        }
        if (delta != 0) {
            count(delta);
        }
    }

    // ---- internals ----

    /** ORs {@code mask} into a word; returns the number of bits that went from 0 to 1. */
    private int orWord(long word, long mask) {
        long[] chunk = chunks[chunkOf(word)];
        int i = indexOf(word);
        if (((long) WORD.getOpaque(chunk, i) & mask) == mask) {
            return 0;
        }
        long old = (long) WORD.getAndBitwiseOr(chunk, i, mask);
        int flipped = Long.bitCount(~old & mask);
        if (flipped != 0) {
            markPage(word >>> WORDS_PER_PAGE_SHIFT);
        }
        return flipped;
    }

    /** Clears {@code mask} in a word; returns the number of bits that went from 1 to 0. */
    private int andNotWord(long word, long mask) {
        long[] chunk = chunks[chunkOf(word)];
        int i = indexOf(word);
        if (((long) WORD.getOpaque(chunk, i) & mask) == 0) {
            return 0;
        }
        long old = (long) WORD.getAndBitwiseAnd(chunk, i, ~mask);
        int flipped = Long.bitCount(old & mask);
        if (flipped != 0) {
            markPage(word >>> WORDS_PER_PAGE_SHIFT);
        }
        return flipped;
    }

    /** Adds {@code delta} to the calling thread's stripe of the dirty-bit count. */
    private void count(long delta) {
        int stripe = (int) Thread.currentThread().getId() & (COUNT_STRIPES - 1);
        WORD.getAndAdd(counts, stripe << COUNT_STRIDE_SHIFT, delta);
    }

    private void markPage(long page) {
        long bit = 1L << page;
        int i = (int) (page >>> 6);
        // Volatile read, not opaque: it must come after the word op in the synchronization order (see class notes).
        if (((long) WORD.getVolatile(dirtyPages, i) & bit) == 0) {
            WORD.getAndBitwiseOr(dirtyPages, i, bit);
        }
    }

    private static long rangeMask(long word, long firstWord, long lastWord, long fromBlock, long toBlockExclusive) {
        long mask = -1L;
        if (word == firstWord) {
            mask &= -1L << fromBlock;
        }
        if (word == lastWord) {
            mask &= -1L >>> -toBlockExclusive;
        }
        return mask;
    }

    private int chunkOf(long word) {
        return (int) (word >>> chunkWordsShift);
    }

    private int indexOf(long word) {
        return (int) word & chunkWordsMask;
    }

    private void checkBlock(long block) {
        if (block < 0 || block >= blockCount) {
            throw new IndexOutOfBoundsException("block " + block + " outside [0, " + blockCount + ")");
        }
    }

    private void checkRange(long fromBlock, long toBlockExclusive) {
        if (fromBlock < 0 || fromBlock > toBlockExclusive || toBlockExclusive > blockCount) {
            throw new IndexOutOfBoundsException(
                "range [" + fromBlock + ", " + toBlockExclusive + ") outside [0, " + blockCount + ")");
        }
    }

    private void checkPage(long page) {
        if (page < 0 || page >= pageCount) {
            throw new IndexOutOfBoundsException("page " + page + " outside [0, " + pageCount + ")");
        }
    }

    private static void checkLittleEndian(ByteBuffer buffer) {
        if (buffer.order() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalArgumentException("bitmap pages are little-endian; set the buffer's order");
        }
    }
}
