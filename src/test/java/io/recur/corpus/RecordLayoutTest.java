package io.recur.corpus;

import io.recur.config.CorpusFormat;
import io.recur.config.CorpusSpec;
import io.recur.config.SourceFormat;
import io.recur.config.SplitSpec;
import io.recur.config.TableSpec;
import io.recur.config.TokenizerKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

@DisplayName("RecordLayout")
class RecordLayoutTest {
    private static final SplitSpec SPLIT = new SplitSpec(0.8, 0.1, 0.1);

    private static CorpusSpec verses() {
        return new CorpusSpec(List.of("verses.txt"), CorpusFormat.TEXT, TokenizerKind.WORD, false, 200, 0, false,
                1 << 20, false, " ", 2);
    }

    private static CorpusSpec tokensTable() {
        return new CorpusSpec(List.of("t.parquet"), CorpusFormat.TEXT, TokenizerKind.CHAR, true, 200, 0)
                .withTable(SourceFormat.PARQUET, new TableSpec("", "words", "", "", "", "", TableSpec.NONE.csv()));
    }

    @Test
    void predictInputLosesTheFieldsBeforeTheTextFieldAsTrainingDid() {
        CorpusSpec corpus = verses();
        assertEquals(List.of("In", "the", "beginning"),
                RecordLayout.forInput(corpus, corpus.textTokenizer(), false).tokenize("Ge1:1 In the beginning"));
    }

    @Test
    void predictInputWithFewerFieldsThanTheTextFieldHasNoTokens() {
        CorpusSpec corpus = verses();
        assertEquals(List.of(), RecordLayout.forInput(corpus, corpus.textTokenizer(), false).tokenize("Ge1:1"));
    }

    @Test
    void predictInputForATokensTableIsSplitAtWhiteSpaceNotByTheTokenizer() {
        CorpusSpec corpus = tokensTable();
        assertEquals(List.of("free", "prize"),
                RecordLayout.forInput(corpus, corpus.textTokenizer(), true).tokenize("FREE prize"));
    }

    @Test
    void tokensOfATableAreLowerCasedButNotTokenizedAgain() {
        RecordLayout layout = new RecordLayout(tokensTable(), SPLIT);
        ReadItem item = layout.example(new CorpusRecord(null, List.of("Mr.", "Smith"), null, null,
                new CorpusRecord.Origin("t.parquet", 1, true, null, 0)));
        assertEquals(List.of("mr.", "smith"), assertInstanceOf(ReadItem.Parsed.class, item).example().tokens());
    }

    @Test
    void rowWithoutTokensIsMalformedWhereALineWithoutTokensIsEmpty() {
        RecordLayout layout = new RecordLayout(tokensTable(), SPLIT);
        assertInstanceOf(ReadItem.Bad.class, layout.example(new CorpusRecord(null, List.of(), null, null,
                new CorpusRecord.Origin("t.parquet", 1, true, null, 0))));
        assertInstanceOf(ReadItem.Empty.class, layout.example(new CorpusRecord(null, List.of(), null, null,
                CorpusRecord.Origin.line("f.txt", 1))));
    }
}
