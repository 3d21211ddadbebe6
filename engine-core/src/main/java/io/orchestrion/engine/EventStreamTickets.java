package io.orchestrion.engine;

import static java.util.Objects.requireNonNull;

import io.orchestrion.engine.work.UnitsOfWork;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Short-lived tickets that authenticate an event stream where the client cannot send an {@code
 * Authorization} header (a browser's EventSource): the ticket travels in the URL, so it is random
 * (256 bits), good for the event stream only, and expires soon. It may be used again until it
 * expires, so that an EventSource's automatic reconnect works. Only its SHA-256 is stored, in the
 * database, so any node redeems a ticket another node issued.
 */
public final class EventStreamTickets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final UnitsOfWork units;

  @Inject
  public EventStreamTickets(UnitsOfWork units) {
    this.units = requireNonNull(units, "units is null");
  }

  /** An issued ticket and when it stops being accepted. */
  public record Ticket(String ticket, Instant expiresAt) {
    public Ticket {
      requireNonNull(ticket, "ticket is null");
      requireNonNull(expiresAt, "expiresAt is null");
    }
  }

  /** Issues a ticket for {@code userId}, valid for {@code lifetime}; drops expired tickets. */
  public Ticket issue(String userId, Duration lifetime) {
    requireNonNull(userId, "userId is null");
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant expiresAt =
        units.call(
            uow -> {
              Instant now = uow.now();
              Instant expires = now.plus(lifetime);
              try (PreparedStatement delete =
                  uow.connection()
                      .prepareStatement("DELETE FROM event_stream_tickets WHERE expires_at < ?")) {
                delete.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                delete.executeUpdate();
              }
              try (PreparedStatement insert =
                  uow.connection()
                      .prepareStatement(
                          "INSERT INTO event_stream_tickets (ticket_hash, user_id, expires_at,"
                              + " created_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, hash(ticket));
                insert.setString(2, userId);
                insert.setObject(3, OffsetDateTime.ofInstant(expires, ZoneOffset.UTC));
                insert.setObject(4, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                insert.executeUpdate();
              }
              return expires;
            });
    return new Ticket(ticket, expiresAt);
  }

  /** The user of a ticket that exists and has not expired. */
  public Optional<String> redeem(String ticket) {
    requireNonNull(ticket, "ticket is null");
    return units.call(
        uow -> {
          Instant now = uow.now();
          try (PreparedStatement select =
              uow.connection()
                  .prepareStatement(
                      "SELECT user_id FROM event_stream_tickets WHERE ticket_hash = ? AND"
                          + " expires_at > ?")) {
            select.setString(1, hash(ticket));
            select.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            try (ResultSet rs = select.executeQuery()) {
              return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
            }
          }
        });
  }

  private static String hash(String ticket) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
