package dev.triage.placement;

import dev.triage.device.BlockDevice;
import dev.triage.hints.policy.PolicyTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies a pool's metadata on a device without changing it ({@link #check}), and repairs
 * what is safe to repair ({@link #repair}).
 *
 * <p>Verified: every superblock copy (magic, CRC32C, generation, agreement with the newest);
 * the catalogue chain (CRC32C, header, length; unique volume names and ids); every map page of
 * every volume (CRC32C, magic, pool id, generation not newer than the superblock, type, level,
 * volume and first block matching its place in the tree, entry count); that no page is
 * referenced twice and every page is in the metadata area; that every mapped block lies
 * inside a zone (so never in the metadata area or a superblock), below its volume's end, with
 * a known class, and is mapped only once in the whole pool; and that the accounting in the
 * catalogue (blocks used per zone, mapped blocks and pages per volume) equals what the maps
 * say, so that free + used = total in every zone.
 *
 * <p>Repaired (only when nothing of severity ERROR is found): stale or torn superblock copies
 * and accounting, by opening the pool (which recomputes the accounting from the maps) and
 * committing twice (both slots and their copies). Free space needs no repair: it is derived
 * from the maps at every open. Errors (a bad map page, a block mapped twice) are not repaired:
 * either fix would lose or expose data.
 */
public final class PoolChecker {
    private PoolChecker() {
    }

    /** Checks the pool on {@code dev}; reads only. */
    public static CheckReport check(BlockDevice dev) throws IOException {
        List<Problem> problems = new ArrayList<>();
        MetadataLoader.Loaded l = MetadataLoader.load(dev, problems::add);
        return new CheckReport(dev.describe(), l.sb == null ? -1 : l.sb.generation(),
                l.catalogue == null ? 0 : l.catalogue.volumes().size(), l.pagesRead, l.mappedBlocks, List.copyOf(problems));
    }

    /**
     * Repairs what is safe to repair and returns the report of a check after it. When the
     * check before finds an ERROR, nothing is written and that report is returned.
     */
    public static CheckReport repair(BlockDevice dev, PolicyTable policies) throws IOException {
        CheckReport before = check(dev);
        if (!before.repairable() || before.clean()) {
            return before;
        }
        Pool pool = Pool.open(dev, policies);
        pool.close();
        return check(dev);
    }
}
