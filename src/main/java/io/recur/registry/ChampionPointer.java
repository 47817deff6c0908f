package io.recur.registry;

import java.util.List;

/**
 * The content of a champion pointer file {@code champion-<sequence>.json}; the file with the highest
 * sequence is the current one.
 *
 * @param version      the champion, e.g. {@code v000003}
 * @param changedAt    ISO-8601 instant of this change
 * @param reason       why it changed: promoted by a retrain, promoted or rolled back by hand
 * @param history      the champions in order, the current one last; rollback drops the last
 * @param everChampion every version that was ever champion, which retention keeps
 */
public record ChampionPointer(long sequence, String version, String changedAt, String reason,
                              List<String> history, List<String> everChampion) {}
