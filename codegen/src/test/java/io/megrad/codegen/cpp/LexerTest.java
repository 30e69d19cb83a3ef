package io.megrad.codegen.cpp;

import io.megrad.runtime.InputException;
import io.megrad.runtime.UnsupportedConstructException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LexerTest {
    private static List<String> texts(String src) {
        return Lexer.tokens(src, "t.cc").stream().map(Token::text).toList();
    }

    @Test
    void commentsAndPreprocessorLinesAreDroppedAndLinesCounted() {
        List<Token> t = Lexer.tokens(String.join("\n",
                "#ifndef X_H",
                "// a comment",
                "int /* inline */ a; ",
                "/* two",
                "   lines */ double b;",
                "#endif"), "t.cc");
        assertEquals(List.of("int", "a", ";", "double", "b", ";", ""), t.stream().map(Token::text).toList());
        assertEquals(3, t.get(0).line());
        assertEquals(5, t.get(3).line());
    }

    @Test
    void quotedIncludesAreCollectedAndSystemIncludesIgnored() {
        assertEquals(List.of("CPPProcess.h", "HelAmps_sm.h"),
                Lexer.quotedIncludes("#include <complex>\n#include \"CPPProcess.h\"\n  #include \"HelAmps_sm.h\"\n", "t.cc"));
    }

    @Test
    void numbersKeepTheirKind() {
        List<Token> t = Lexer.tokens("1 2. .5 1.e-3 6.382339e-03 1.5f 0x10 7L", "t.cc");
        assertEquals(List.of(Token.Kind.INT, Token.Kind.FLOAT, Token.Kind.FLOAT, Token.Kind.FLOAT, Token.Kind.FLOAT,
                Token.Kind.FLOAT, Token.Kind.INT, Token.Kind.INT), t.subList(0, 8).stream().map(Token::kind).toList());
        assertEquals("1.5f", t.get(5).text());
        assertEquals("16", t.get(6).text());
        assertEquals("7", t.get(7).text());
    }

    @Test
    void alternativeOperatorSpellingsBecomeSymbols() {
        assertEquals(List.of("a", "&&", "b", "||", "!", "c", ""), texts("a and b or not c"));
    }

    @Test
    void longestPunctuatorWins() {
        assertEquals(List.of("a", "->", "b", "<<", "c", "::", "d", "+=", "1", ""), texts("a->b<<c::d+=1"));
    }

    @Test
    void unterminatedCommentIsAnInputError() {
        InputException e = assertThrows(InputException.class, () -> Lexer.tokens("int a;\n/* never closed", "t.cc"));
        assertTrue(e.getMessage().startsWith("t.cc:2: unterminated comment"), e.getMessage());
    }

    @Test
    void macroWithAValueIsUnsupported() {
        UnsupportedConstructException e = assertThrows(UnsupportedConstructException.class,
                () -> Lexer.tokens("#define X_H\n#define NCOMB 16\n", "t.h"));
        assertTrue(e.getMessage().startsWith("t.h:2: unsupported macro definition"), e.getMessage());
    }

    @Test
    void strayCharacterIsAnInputError() {
        InputException e = assertThrows(InputException.class, () -> Lexer.tokens("int a = 1 @ 2;", "t.cc"));
        assertTrue(e.getMessage().startsWith("t.cc:1: unexpected character '@'"), e.getMessage());
    }
}
