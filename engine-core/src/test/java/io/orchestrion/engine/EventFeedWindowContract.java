package io.orchestrion.engine;

import static io.orchestrion.engine.testing.EngineHarness.orchestration;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrion.api.run.EventKind;
import io.orchestrion.api.run.OrchestrationEvent;
import io.orchestrion.engine.api.EventFilter;
import io.orchestrion.engine.api.EventPage;
import io.orchestrion.engine.api.SubmissionView;
import io.orchestrion.engine.testing.EngineHarness;
import io.orchestrion.engine.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The event feed's windowed reads (SPEC §4, issue 11): a filter no index serves — kinds without a
 * run or submission, the visibility of a reader who does not see every run — reads a bounded window
 * of sequences per page, and a reader that continues from {@code readThrough} until {@code atEnd}
 * gets exactly the events a whole-feed read would. A window of 4 sequences stands in for {@link
 * EventService#SCAN_WINDOW}.
 */
abstract class EventFeedWindowContract {
  private static final int WINDOW = 4;
  private static final int RUNS = 4;
  private static final int EVENTS_PER_RUN = 5;

  private TestDatabase database;
  private EngineHarness harness;
  private OrchestrionEngine engine;
  private EventService events;
  private List<OrchestrationEvent> feed;

  protected abstract TestDatabase createDatabase();

  @BeforeEach
  void setUp() throws InterruptedException {
    database = createDatabase();
    harness = EngineHarness.start(database);
    engine = harness.engine();
    events = engine.events().withScanWindow(WINDOW);
    harness.defineExpense();
    harness.activateFlows("flow-mark-in-review.json");
    engine
        .orchestrations()
        .deploy(
            orchestration(
                """
                {"apiName": "Sync_Only", "objectType": "Expense",
                 "stages": [{"name": "Intake", "steps": [
                   {"name": "Mark", "kind": "BACKGROUND", "flow": "Mark_In_Review",
                    "inputs": {"recordId": {"ref": "$Record.Id"}}}]}]}
                """),
            true);
    for (int i = 0; i < RUNS; i++) {
      SubmissionView submission =
          EngineHarness.submitExpense(engine, "Sync_Only", "alice", "Dinner " + i, "2500.00");
      assertThat(submission.runId()).isNotBlank();
    }
    feed = awaitWholeFeed(RUNS * EVENTS_PER_RUN);
  }

  @AfterEach
  void tearDown() {
    if (harness != null) {
      harness.close();
    }
    database.close();
  }

  @Test
  void aKindFilterReadsOneWindowPerPageAndTheWalkFindsEveryEventOfTheKind() {
    EventFilter completed = EventFilter.ALL.withKinds(Set.of(EventKind.RUN_COMPLETED));
    long first = feed.getFirst().sequence() - 1;

    EventPage page = events.page(first, completed, 100);

    // The first window holds the first run's SUBMITTED … STAGE_COMPLETED, not its RUN_COMPLETED:
    // an empty page that still moves on, and is not the end.
    assertThat(page.items()).isEmpty();
    assertThat(page.readThrough()).isEqualTo(first + WINDOW);
    assertThat(page.atEnd()).isFalse();

    List<EventPage> pages = walk(first, after -> events.page(after, completed, 100));
    assertThat(items(pages))
        .containsExactlyElementsOf(
            feed.stream().filter(event -> event.kind() == EventKind.RUN_COMPLETED).toList());
    assertThat(pages.getLast().readThrough()).isEqualTo(feed.getLast().sequence());
    assertThat(pages).allSatisfy(each -> assertThat(each.items()).hasSizeLessThanOrEqualTo(1));
  }

  @Test
  void aFullPageEndsAtItsLastEventAndReadsNoFurther() {
    EventFilter starts =
        EventFilter.ALL.withKinds(Set.of(EventKind.SUBMITTED, EventKind.STAGE_STARTED));
    long first = feed.getFirst().sequence() - 1;

    EventPage page = events.page(first, starts, 1);

    assertThat(page.items()).singleElement().isEqualTo(feed.getFirst());
    assertThat(page.readThrough()).isEqualTo(feed.getFirst().sequence());
    assertThat(page.atEnd()).isFalse();
  }

  @Test
  void readsAnIndexServesAreNotWindowedAndReadToTheEnd() {
    String runId = feed.getFirst().runId();
    long first = feed.getFirst().sequence() - 1;

    EventPage ofRun =
        events.page(
            first, EventFilter.ofRun(runId).withKinds(Set.of(EventKind.RUN_COMPLETED)), 100);
    EventPage everything = events.page(first, EventFilter.ALL, 100);

    assertThat(ofRun.items())
        .singleElement()
        .satisfies(event -> assertThat(event.runId()).isEqualTo(runId));
    assertThat(ofRun.readThrough()).isEqualTo(feed.getLast().sequence());
    assertThat(ofRun.atEnd()).isTrue();
    assertThat(everything.items()).containsExactlyElementsOf(feed);
    assertThat(everything.atEnd()).isTrue();
    // Past the end: nothing, at the end, and the position does not go back.
    EventPage past = events.page(feed.getLast().sequence() + 10, EventFilter.ALL, 100);
    assertThat(past.items()).isEmpty();
    assertThat(past.readThrough()).isEqualTo(feed.getLast().sequence() + 10);
    assertThat(past.atEnd()).isTrue();
  }

  @Test
  void aReaderWhoDoesNotSeeEveryRunReadsWindowsAndStillSeesAllOfHisRuns() {
    assertThat(engine.runAudience().seesAll("alice")).isFalse();
    long first = feed.getFirst().sequence() - 1;

    EventPage page = events.pageVisibleTo("alice", first, EventFilter.ALL, 100);
    List<EventPage> pages =
        walk(first, after -> events.pageVisibleTo("alice", after, EventFilter.ALL, 100));

    assertThat(page.items()).hasSize(WINDOW);
    assertThat(page.readThrough()).isEqualTo(first + WINDOW);
    assertThat(items(pages)).containsExactlyElementsOf(feed);
    assertThat(events.pageVisibleTo("bob", first, EventFilter.ALL, 100).items()).isEmpty();
  }

  /** Pages from {@code after} on, each continuing from the last one's readThrough, to the end. */
  private static List<EventPage> walk(long after, Function<Long, EventPage> read) {
    List<EventPage> pages = new ArrayList<>();
    EventPage page;
    do {
      page = read.apply(after);
      assertThat(page.readThrough()).isGreaterThan(after);
      pages.add(page);
      after = page.readThrough();
    } while (!page.atEnd() && pages.size() < 100);
    assertThat(page.atEnd()).as("reached the end in %d pages", pages.size()).isTrue();
    return pages;
  }

  private static List<OrchestrationEvent> items(List<EventPage> pages) {
    return pages.stream().flatMap(page -> page.items().stream()).toList();
  }

  /** Every event of the feed, once {@code count} are numbered. */
  private List<OrchestrationEvent> awaitWholeFeed(int count) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<OrchestrationEvent> all = engine.events().listAfter(0, Optional.empty(), 1000);
    while (all.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(25);
      all = engine.events().listAfter(0, Optional.empty(), 1000);
    }
    assertThat(all).hasSize(count);
    return all;
  }
}
