package dev.triage.cache.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple3;

/** The intrusive lists behave like one java.util.LinkedList per list. */
class IntLinkedListsTest {
    private static final int NODES = 12;
    private static final int LISTS = 3;

    @Provide
    Arbitrary<List<Tuple3<Integer, Integer, Integer>>> operations() {
        return Arbitraries.integers().between(0, 3).flatMap(op ->
                Arbitraries.integers().between(0, LISTS - 1).flatMap(l ->
                        Arbitraries.integers().between(0, NODES - 1).map(n -> Tuple.of(op, l, n))))
                .list().ofMaxSize(300);
    }

    @Property(tries = 300)
    void matchesLinkedLists(@ForAll("operations") List<Tuple3<Integer, Integer, Integer>> ops) {
        IntLinkedLists lists = new IntLinkedLists(1, 2);
        lists.ensureLists(LISTS);
        lists.ensureNodes(NODES);
        List<LinkedList<Integer>> ref = new ArrayList<>();
        for (int i = 0; i < LISTS; i++) {
            ref.add(new LinkedList<>());
        }
        for (Tuple3<Integer, Integer, Integer> o : ops) {
            int list = o.get2();
            Integer node = o.get3();
            ref.forEach(r -> r.remove(node));
            switch (o.get1()) {
                case 0 -> {
                    lists.moveToHead(list, node);
                    ref.get(list).addFirst(node);
                }
                case 1 -> {
                    lists.moveToTail(list, node);
                    ref.get(list).addLast(node);
                }
                case 2 -> {
                    lists.unlink(node);
                    lists.unlink(node); // twice is harmless
                }
                default -> {
                    lists.unlink(node);
                    lists.addHead(list, node);
                    ref.get(list).addFirst(node);
                }
            }
            for (int l = 0; l < LISTS; l++) {
                List<Integer> forward = new ArrayList<>();
                for (int n = lists.head(l); n != IntLinkedLists.NIL; n = lists.next(n)) {
                    forward.add(n);
                    assertEquals(l, lists.listOf(n));
                }
                List<Integer> backward = new ArrayList<>();
                for (int n = lists.tail(l); n != IntLinkedLists.NIL; n = lists.prev(n)) {
                    backward.add(0, n);
                }
                assertEquals(ref.get(l), forward);
                assertEquals(ref.get(l), backward);
                assertEquals(ref.get(l).size(), lists.count(l));
            }
        }
    }
}
