//! Unit, golden and property tests of the sentence splitter.

use super::*;
use proptest::prelude::*;

fn sentences<'t>(text: &'t str, opts: &SplitOptions) -> Vec<&'t str> {
    split(text, opts)
        .iter()
        .map(|s| &text[s.start..s.end])
        .collect()
}

fn space() -> SplitOptions {
    SplitOptions {
        line_breaks: LineBreaks::Space,
    }
}

/// One `#[test]` per case, each asserting the exact sentences in the default mode
/// (`sentence`) or in hard-wrapped mode (`space`).
macro_rules! cases {
    ($($mode:ident $name:ident: $text:expr => [$($s:expr),* $(,)?];)*) => {
        $(
            #[test]
            fn $name() {
                let opts = cases!(@opts $mode);
                let expected: Vec<&str> = vec![$($s),*];
                assert_eq!(sentences($text, &opts), expected, "text: {:?}", $text);
            }
        )*
    };
    (@opts sentence) => { SplitOptions::default() };
    (@opts space) => { space() };
}

// The English golden rules of pySBD (from the Pragmatic Segmenter), numbered as there.
cases! {
    sentence golden_01_simple_period: "Hello World. My name is Jonas." => ["Hello World.", "My name is Jonas."];
    sentence golden_02_question_mark: "What is your name? My name is Jonas." => ["What is your name?", "My name is Jonas."];
    sentence golden_03_exclamation: "There it is! I found it." => ["There it is!", "I found it."];
    sentence golden_04_one_letter_upper_abbreviation: "My name is Jonas E. Smith." => ["My name is Jonas E. Smith."];
    sentence golden_05_one_letter_lower_abbreviation: "Please turn to p. 55." => ["Please turn to p. 55."];
    sentence golden_06_two_letter_lower_mid: "Were Jane and co. at the party?" => ["Were Jane and co. at the party?"];
    sentence golden_07_two_letter_upper_mid: "They closed the deal with Pitt, Briggs & Co. at noon." => ["They closed the deal with Pitt, Briggs & Co. at noon."];
    sentence golden_08_two_letter_lower_end: "Let's ask Jane and co. They should know." => ["Let's ask Jane and co.", "They should know."];
    sentence golden_09_two_letter_upper_end: "They closed the deal with Pitt, Briggs & Co. It closed yesterday." => ["They closed the deal with Pitt, Briggs & Co.", "It closed yesterday."];
    sentence golden_10_prepositive: "I can see Mt. Fuji from here." => ["I can see Mt. Fuji from here."];
    sentence golden_11_prepositive_and_postpositive: "St. Michael's Church is on 5th st. near the light." => ["St. Michael's Church is on 5th st. near the light."];
    sentence golden_12_possessive_abbreviation: "That is JFK Jr.'s book." => ["That is JFK Jr.'s book."];
    sentence golden_13_multi_period_mid: "I visited the U.S.A. last year." => ["I visited the U.S.A. last year."];
    sentence golden_14_multi_period_end: "I live in the E.U. How about you?" => ["I live in the E.U.", "How about you?"];
    sentence golden_15_us_boundary: "I live in the U.S. How about you?" => ["I live in the U.S.", "How about you?"];
    sentence golden_16_us_before_capital: "I work for the U.S. Government in Virginia." => ["I work for the U.S. Government in Virginia."];
    sentence golden_17_us_before_lowercase: "I have lived in the U.S. for 20 years." => ["I have lived in the U.S. for 20 years."];
    sentence golden_18_am_pm: "At 5 a.m. Mr. Smith went to the bank. He left the bank at 6 P.M. Mr. Smith then went to the store." => ["At 5 a.m. Mr. Smith went to the bank.", "He left the bank at 6 P.M.", "Mr. Smith then went to the store."];
    sentence golden_19_number_mid: "She has $100.00 in her bag." => ["She has $100.00 in her bag."];
    sentence golden_20_number_end: "She has $100.00. It is in her bag." => ["She has $100.00.", "It is in her bag."];
    sentence golden_21_parenthetical: "He teaches science (He previously worked for 5 years as an engineer.) at the local University." => ["He teaches science (He previously worked for 5 years as an engineer.) at the local University."];
    sentence golden_22_email: "Her email is Jane.Doe@example.com. I sent her an email." => ["Her email is Jane.Doe@example.com.", "I sent her an email."];
    sentence golden_23_url: "The site is: https://www.example.50.com/new-site/awesome_content.html. Please check it out." => ["The site is: https://www.example.50.com/new-site/awesome_content.html.", "Please check it out."];
    sentence golden_24_single_quotes_mid: "She turned to him, 'This is great.' she said." => ["She turned to him, 'This is great.' she said."];
    sentence golden_25_double_quotes_mid: "She turned to him, \"This is great.\" she said." => ["She turned to him, \"This is great.\" she said."];
    sentence golden_26_double_quotes_end: "She turned to him, \"This is great.\" She held the book out to show him." => ["She turned to him, \"This is great.\"", "She held the book out to show him."];
    sentence golden_27_double_exclamation: "Hello!! Long time no see." => ["Hello!!", "Long time no see."];
    sentence golden_28_double_question: "Hello?? Who is there?" => ["Hello??", "Who is there?"];
    sentence golden_29_exclamation_question: "Hello!? Is that you?" => ["Hello!?", "Is that you?"];
    sentence golden_30_question_exclamation: "Hello?! Is that you?" => ["Hello?!", "Is that you?"];
    sentence golden_31_list_dot_paren_no_period: "1.) The first item 2.) The second item" => ["1.) The first item", "2.) The second item"];
    sentence golden_32_list_dot_paren_period: "1.) The first item. 2.) The second item." => ["1.) The first item.", "2.) The second item."];
    sentence golden_33_list_paren_no_period: "1) The first item 2) The second item" => ["1) The first item", "2) The second item"];
    sentence golden_34_list_paren_period: "1) The first item. 2) The second item." => ["1) The first item.", "2) The second item."];
    sentence golden_35_list_dot_no_period: "1. The first item 2. The second item" => ["1. The first item", "2. The second item"];
    sentence golden_36_list_dot_period: "1. The first item. 2. The second item." => ["1. The first item.", "2. The second item."];
    sentence golden_37_list_bullet: "• 9. The first item • 10. The second item" => ["• 9. The first item", "• 10. The second item"];
    sentence golden_38_list_hyphen_bullet: "⁃9. The first item ⁃10. The second item" => ["⁃9. The first item", "⁃10. The second item"];
    sentence golden_39_alphabetical_list: "a. The first item b. The second item c. The third list item" => ["a. The first item", "b. The second item", "c. The third list item"];
    sentence golden_40_geo_coordinates: "You can find it at N°. 1026.253.553. That is where the treasure is." => ["You can find it at N°. 1026.253.553.", "That is where the treasure is."];
    sentence golden_41_named_entity_exclamation: "She works at Yahoo! in the accounting department." => ["She works at Yahoo! in the accounting department."];
    sentence golden_42_i_pronoun_and_initial: "We make a good team, you and I. Did you see Albert I. Jones yesterday?" => ["We make a good team, you and I.", "Did you see Albert I. Jones yesterday?"];
    sentence golden_43_ellipsis_end_of_quotation: "Thoreau argues that by simplifying one’s life, “the laws of the universe will appear less complex. . . .”" => ["Thoreau argues that by simplifying one’s life, “the laws of the universe will appear less complex. . . .”"];
    sentence golden_44_ellipsis_square_brackets: "\"Bohr [...] used the analogy of parallel stairways [...]\" (Smith 55)." => ["\"Bohr [...] used the analogy of parallel stairways [...]\" (Smith 55)."];
    sentence golden_45_ellipsis_standard_boundary: "If words are left off at the end of a sentence, and that is all that is omitted, indicate the omission with ellipsis marks (preceded and followed by a space) and then indicate the end of the sentence with a period . . . . Next sentence." => ["If words are left off at the end of a sentence, and that is all that is omitted, indicate the omission with ellipsis marks (preceded and followed by a space) and then indicate the end of the sentence with a period . . . .", "Next sentence."];
    sentence golden_46_ellipsis_nonstandard_boundary: "I never meant that.... She left the store." => ["I never meant that....", "She left the store."];
    sentence golden_47_ellipsis_not_boundary: "I wasn’t really ... well, what I mean...see . . . what I'm saying, the thing is . . . I didn’t mean it." => ["I wasn’t really ... well, what I mean...see . . . what I'm saying, the thing is . . . I didn’t mean it."];
    sentence golden_48_four_dot_ellipsis: "One further habit which was somewhat weakened . . . was that of combining words into self-contained units. . . ." => ["One further habit which was somewhat weakened . . . was that of combining words into self-contained units. . . ."];
}

// Abbreviations and titles.
cases! {
    sentence title_mr_mrs: "Mr. and Mrs. Smith arrived. They sat down." => ["Mr. and Mrs. Smith arrived.", "They sat down."];
    sentence title_ms_dr: "Ms. Jones met Dr. Brown. It went well." => ["Ms. Jones met Dr. Brown.", "It went well."];
    sentence title_prof: "Prof. Alan Turing wrote it." => ["Prof. Alan Turing wrote it."];
    sentence title_military: "Gen. Smith, Col. Jones, Lt. Park, Sgt. Lee and Capt. Kirk agreed." => ["Gen. Smith, Col. Jones, Lt. Park, Sgt. Lee and Capt. Kirk agreed."];
    sentence title_politicians: "Sen. John McCain met Rep. Nancy Pelosi, Gov. Andrew Cuomo and Pres. Obama." => ["Sen. John McCain met Rep. Nancy Pelosi, Gov. Andrew Cuomo and Pres. Obama."];
    sentence title_saint: "He prayed at St. Paul's. The choir sang." => ["He prayed at St. Paul's.", "The choir sang."];
    sentence suffix_jr_before_name_continuation: "Martin Luther King Jr. Day is a holiday." => ["Martin Luther King Jr. Day is a holiday."];
    sentence suffix_jr_at_end: "The speech was given by Martin Luther King Jr. He was 34." => ["The speech was given by Martin Luther King Jr.", "He was 34."];
    sentence suffix_sr_mid: "John Smith Sr. said no." => ["John Smith Sr. said no."];
    sentence company_inc_mid: "Apple Inc. Chief Executive Tim Cook spoke." => ["Apple Inc. Chief Executive Tim Cook spoke."];
    sentence company_inc_end: "He joined Apple Inc. The company was small." => ["He joined Apple Inc.", "The company was small."];
    sentence company_corp_ltd: "Acme Corp. and Widgets Ltd. merged." => ["Acme Corp. and Widgets Ltd. merged."];
    sentence company_ltd_end: "Shares of Widgets Ltd. rose. Then they fell." => ["Shares of Widgets Ltd. rose.", "Then they fell."];
    sentence month_before_number: "The vote is on Jan. 5 and Feb. 12, not Dec. 3." => ["The vote is on Jan. 5 and Feb. 12, not Dec. 3."];
    sentence month_abbreviations_all: "Dates: Mar. 1, Apr. 2, Aug. 3, Sept. 4, Oct. 5 and Nov. 6." => ["Dates: Mar. 1, Apr. 2, Aug. 3, Sept. 4, Oct. 5 and Nov. 6."];
    sentence month_at_end: "It happened in Dec. The next year was quiet." => ["It happened in Dec.", "The next year was quiet."];
    sentence weekday_abbreviations: "Open Mon. to Fri. from 9 a.m. to 5 p.m. daily." => ["Open Mon. to Fri. from 9 a.m. to 5 p.m. daily."];
    sentence number_abbreviation: "He wore No. 5 for years. No. He never did." => ["He wore No. 5 for years.", "No.", "He never did."];
    sentence versus: "It was Chicago vs. Boston. Boston won." => ["It was Chicago vs. Boston.", "Boston won."];
    sentence etc_mid: "Apples, pears, etc. are sold here." => ["Apples, pears, etc. are sold here."];
    sentence etc_end: "Apples, pears, etc. The list goes on." => ["Apples, pears, etc.", "The list goes on."];
    sentence eg_ie: "Fruit, e.g. Apples, is good, i.e. Healthy. Eat it." => ["Fruit, e.g. Apples, is good, i.e. Healthy.", "Eat it."];
    sentence eg_comma: "Some fruit, e.g., apples, is sold." => ["Some fruit, e.g., apples, is sold."];
    sentence approx: "It costs approx. 5 dollars. That is cheap." => ["It costs approx. 5 dollars.", "That is cheap."];
    sentence street_abbreviations: "He lives at 12 Main Ave. near the park on Sunset Blvd. in town." => ["He lives at 12 Main Ave. near the park on Sunset Blvd. in town."];
    sentence street_at_end: "He lives on Fifth Ave. The rent is high." => ["He lives on Fifth Ave.", "The rent is high."];
    sentence mount_and_fort: "They flew from Ft. Worth to Mt. Rainier." => ["They flew from Ft. Worth to Mt. Rainier."];
    sentence state_abbreviation: "He was born in Springfield, Ill. Police said so." => ["He was born in Springfield, Ill. Police said so."];
    sentence lowercase_state_word_is_a_word: "He fell ill. Doctors came." => ["He fell ill.", "Doctors came."];
    sentence et_al: "Smith et al. The study found nothing." => ["Smith et al.", "The study found nothing."];
    sentence phd: "She earned a Ph.D. in physics. Then she left." => ["She earned a Ph.D. in physics.", "Then she left."];
}

// Dotted acronyms and initials.
cases! {
    sentence acronym_us_end: "He moved to the U.S. He liked it." => ["He moved to the U.S.", "He liked it."];
    sentence acronym_us_mid: "It hurt the U.S. economy." => ["It hurt the U.S. economy."];
    sentence acronym_un_uk_eu: "The U.N., the U.K. and the E.U. disagreed." => ["The U.N., the U.K. and the E.U. disagreed."];
    sentence acronym_before_title: "The U.S. Secretary of State spoke. The U.N. Security Council met." => ["The U.S. Secretary of State spoke.", "The U.N. Security Council met."];
    sentence acronym_hyphenated: "The U.S.-led coalition struck. It was over." => ["The U.S.-led coalition struck.", "It was over."];
    sentence acronym_end_of_text: "They left the U.K." => ["They left the U.K."];
    sentence acronym_before_quote: "He moved to the U.S. \"It was great,\" he said." => ["He moved to the U.S.", "\"It was great,\" he said."];
    sentence directional_initial: "Tension spikes over N. Korea, but Pyongyang barely notices." => ["Tension spikes over N. Korea, but Pyongyang barely notices."];
    sentence initial_george_w_bush: "George W. Bush spoke. He left." => ["George W. Bush spoke.", "He left."];
    sentence initials_spaced: "J. K. Rowling wrote it." => ["J. K. Rowling wrote it."];
    sentence initials_mid_sentence: "The book by J. K. Rowling sold well." => ["The book by J. K. Rowling sold well."];
    sentence initials_dotted: "J.R.R. Tolkien wrote it. It was long." => ["J.R.R. Tolkien wrote it.", "It was long."];
    sentence single_letter_sentence_end: "They chose Plan B. The rest failed." => ["They chose Plan B.", "The rest failed."];
    sentence roman_numeral_end: "He served in World War I. Then he came home." => ["He served in World War I.", "Then he came home."];
    sentence initial_before_name_that_is_a_word: "Robert E. Lee surrendered." => ["Robert E. Lee surrendered."];
}

// Numbers, money, percentages and times.
cases! {
    sentence money_billion: "It cost $2.5 billion. Critics balked." => ["It cost $2.5 billion.", "Critics balked."];
    sentence decimal_pi: "Pi is about 3.14 and e is 2.72. Both are irrational." => ["Pi is about 3.14 and e is 2.72.", "Both are irrational."];
    sentence percentage: "Prices rose 7.5% last year. Wages rose 1.5%." => ["Prices rose 7.5% last year.", "Wages rose 1.5%."];
    sentence suffix_m: "The club paid 1.5m for him. Fans cheered." => ["The club paid 1.5m for him.", "Fans cheered."];
    sentence number_at_end: "It rose 5. Then it fell." => ["It rose 5.", "Then it fell."];
    sentence number_end_of_text: "It rose 5." => ["It rose 5."];
    sentence year_then_digit_sentence: "He was born in 1990. 2000 was a better year." => ["He was born in 1990.", "2000 was a better year."];
    sentence thousands_separator: "They counted 1,000.5 votes. Nobody cared." => ["They counted 1,000.5 votes.", "Nobody cared."];
    sentence time_before_weekday: "The vote is at 5 p.m. Monday in the hall." => ["The vote is at 5 p.m. Monday in the hall."];
    sentence time_before_timezone: "It starts at 10 a.m. ET and ends at noon." => ["It starts at 10 a.m. ET and ends at noon."];
    sentence time_at_end: "We meet at 5 p.m. The meeting is long." => ["We meet at 5 p.m.", "The meeting is long."];
    sentence time_before_lowercase: "At 5 p.m. on Friday, they left." => ["At 5 p.m. on Friday, they left."];
    sentence time_upper_case_end: "It closes at 6 P.M. Nobody stays." => ["It closes at 6 P.M.", "Nobody stays."];
}

// Ellipses, question and exclamation marks, quotes and brackets.
cases! {
    sentence ellipsis_lowercase_continues: "He paused... and then spoke." => ["He paused... and then spoke."];
    sentence ellipsis_capital_splits: "He paused... Then he spoke." => ["He paused...", "Then he spoke."];
    sentence ellipsis_char_lowercase_continues: "He paused… and then spoke." => ["He paused… and then spoke."];
    sentence ellipsis_char_capital_splits: "He paused… Then he spoke." => ["He paused…", "Then he spoke."];
    sentence ellipsis_before_number: "The count went 1, 2, 3... 10 in all." => ["The count went 1, 2, 3... 10 in all."];
    sentence question_attribution: "\"Are we?\" he asked. Nobody answered." => ["\"Are we?\" he asked.", "Nobody answered."];
    sentence exclamation_attribution: "\"Stop!\" she shouted. He stopped." => ["\"Stop!\" she shouted.", "He stopped."];
    sentence question_curly_quotes: "“Why?” she asked. “Because,” he said." => ["“Why?” she asked.", "“Because,” he said."];
    sentence question_comma_after_quote: "\"Why?\", he asked." => ["\"Why?\", he asked."];
    sentence question_exclamation_mix: "What?! You did that? Really?!! Yes." => ["What?!", "You did that?", "Really?!!", "Yes."];
    sentence question_before_digit: "How many? 25 of them." => ["How many?", "25 of them."];
    sentence period_after_closing_quote: "He said \"No\". Then he left." => ["He said \"No\".", "Then he left."];
    sentence period_inside_closing_quote: "He said no.\" Then he left." => ["He said no.\"", "Then he left."];
    sentence period_inside_parenthesis: "It was odd (like this.) Then it stopped." => ["It was odd (like this.)", "Then it stopped."];
    sentence parenthesis_end_of_text: "It was odd (like this.)" => ["It was odd (like this.)"];
    sentence quote_end_then_capital: "He said \"stop.\" Then he left." => ["He said \"stop.\"", "Then he left."];
    sentence curly_quote_end_then_capital: "He said “stop.” Then he left." => ["He said “stop.”", "Then he left."];
    sentence single_quote_end_then_capital: "He said 'stop.' Then he left." => ["He said 'stop.'", "Then he left."];
    sentence next_sentence_opens_with_quote: "He left. \"Stop,\" she said." => ["He left.", "\"Stop,\" she said."];
    sentence next_sentence_opens_with_parenthesis: "He left. (Nobody noticed.) Then rain." => ["He left.", "(Nobody noticed.)", "Then rain."];
    // A quotation that closes on a short fragment without a terminator is kept whole;
    // longer multi-sentence quotations are split like any text (as in the PTC gold).
    sentence quoted_question_with_fragment: "\"Are we insisting on it? No\". Then silence." => ["\"Are we insisting on it? No\".", "Then silence."];
    sentence quoted_question_with_short_answer: "\"Are we? Yes, sir,\" he said." => ["\"Are we? Yes, sir,\" he said."];
    sentence quoted_short_full_sentence_is_split: "\"He is fine. It's highly unusual,\" Hickey said." => ["\"He is fine.", "It's highly unusual,\" Hickey said."];
    sentence recurring_number_is_not_a_list: "That was Version No. 1. Later came Version No. 2. It differed." => ["That was Version No. 1.", "Later came Version No. 2.", "It differed."];
    sentence quoted_two_sentences_with_attribution: "\"We will go. They won't stay with us,\" he said." => ["\"We will go.", "They won't stay with us,\" he said."];
    sentence quoted_sentences_each_terminated: "\"We will go. They won't.\" Then he left." => ["\"We will go.", "They won't.\"", "Then he left."];
    sentence nested_closers: "He wrote (\"it ends here.\") Then stopped." => ["He wrote (\"it ends here.\")", "Then stopped."];
    sentence lowercase_after_period_continues: "He is 5 ft. tall and weighs 80 kg. now." => ["He is 5 ft. tall and weighs 80 kg. now."];
}

// URLs, e-mail addresses and domains.
cases! {
    sentence url_with_query: "See https://example.com/a.b?x=1 for details. It helps." => ["See https://example.com/a.b?x=1 for details.", "It helps."];
    sentence url_at_end: "See https://example.com/a.b?x=1. It helps." => ["See https://example.com/a.b?x=1.", "It helps."];
    sentence email_mid: "Write to john.doe@example.com with questions." => ["Write to john.doe@example.com with questions."];
    sentence domain_names: "Use pola.rs or example.com today. Amazon.com agreed." => ["Use pola.rs or example.com today.", "Amazon.com agreed."];
    sentence domain_at_end: "He works for Amazon.com. It is big." => ["He works for Amazon.com.", "It is big."];
    sentence file_name: "Open report.final.pdf now." => ["Open report.final.pdf now."];
}

// Lists, headings, bylines and paragraphs.
cases! {
    sentence list_lines: "Steps:\n1. Open the box.\n2. Take it out\n3) Plug it in" => ["Steps:", "1. Open the box.", "2. Take it out", "3) Plug it in"];
    sentence bullet_lines: "• First point\n• Second point.\n- Third point\n* Fourth point" => ["• First point", "• Second point.", "- Third point", "* Fourth point"];
    sentence inline_bullets: "• Eggs • Milk • Bread" => ["• Eggs", "• Milk", "• Bread"];
    sentence dash_mid_line_is_not_a_bullet: "- The U.S. - not Russia - objected. It was late." => ["- The U.S. - not Russia - objected.", "It was late."];
    sentence letter_initials_are_not_a_list: "A. Smith and B. Jones spoke." => ["A. Smith and B. Jones spoke."];
    sentence heading_and_byline: "Markets Rally\nBy Jane Doe\nStocks rose. Bonds fell." => ["Markets Rally", "By Jane Doe", "Stocks rose.", "Bonds fell."];
    sentence title_with_blank_lines: "Title here\n\n\nFirst paragraph. Second sentence.\n\nLast one" => ["Title here", "First paragraph.", "Second sentence.", "Last one"];
    sentence abbreviation_at_line_end: "He met Mr.\nSmith was late." => ["He met Mr.", "Smith was late."];
    sentence crlf_lines: "One line\r\nTwo. Three.\r\n\r\nFour" => ["One line", "Two.", "Three.", "Four"];
    sentence unicode_line_separators: "One\u{2028}Two\u{85}Three\u{2029}Four" => ["One", "Two", "Three", "Four"];
    sentence nbsp_after_title: "Mr.\u{a0}Smith left.\u{a0}Then rain." => ["Mr.\u{a0}Smith left.", "Then rain."];
    sentence whitespace_only: " \n\t \r\n " => [];
    sentence empty: "" => [];
    sentence only_punctuation: "... ?! ." => ["... ?!", "."];
}

// Hard-wrapped text.
cases! {
    space space_acronym_wrapped: "The U.S.\nsaid no." => ["The U.S.\nsaid no."];
    space space_two_lines_two_sentences: "Line one ends.\nLine two." => ["Line one ends.", "Line two."];
    space space_wrapped_sentence: "This is a sentence\ncut off in the middle because of the wrap." => ["This is a sentence\ncut off in the middle because of the wrap."];
    space space_heading_paragraph: "A Heading\n\nThe body starts\nhere. It ends." => ["A Heading", "The body starts\nhere.", "It ends."];
    space space_title_wrapped: "He met Mr.\nSmith on Monday." => ["He met Mr.\nSmith on Monday."];
    space space_list_items: "Do this:\n1. Open it\n2. Close it\n- Done" => ["Do this:", "1. Open it", "2. Close it", "- Done"];
    space space_crlf: "First line\r\ncontinues. Next\r\n\r\nPara two." => ["First line\r\ncontinues.", "Next", "Para two."];
    space space_question_across_line: "Why?\nBecause." => ["Why?", "Because."];
    space space_ellipsis_across_line: "He waited...\nand waited." => ["He waited...\nand waited."];
}

#[test]
fn paragraphs_count_blocks_separated_by_blank_lines() {
    let text = "\n\nTitle\n\n\nOne. Two\nThree\n \t\nFour.";
    let spans = split(text, &SplitOptions::default());
    let got: Vec<(&str, usize)> = spans
        .iter()
        .map(|s| (&text[s.start..s.end], s.paragraph))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Title", 0),
            ("One.", 1),
            ("Two", 1),
            ("Three", 1),
            ("Four.", 2)
        ]
    );
    let spans = split(text, &space());
    let got: Vec<(&str, usize)> = spans
        .iter()
        .map(|s| (&text[s.start..s.end], s.paragraph))
        .collect();
    assert_eq!(
        got,
        vec![("Title", 0), ("One.", 1), ("Two\nThree", 1), ("Four.", 2)]
    );
}

#[test]
fn spans_are_byte_offsets() {
    let text = "Ça va. Très bien.";
    let spans = split(text, &SplitOptions::default());
    assert_eq!(
        spans,
        vec![
            SentenceSpan {
                start: 0,
                end: 7,
                paragraph: 0
            },
            SentenceSpan {
                start: 8,
                end: 19,
                paragraph: 0
            }
        ]
    );
}

/// The seed article, split by hand. Arguable boundaries:
/// - The title line is a sentence of its own (line break in sentence mode).
/// - `"Are we insisting on it? No".` is one sentence: the quotation ends in a fragment whose
///   final period stands outside the quote, so the question and its answer form one quoted
///   unit; splitting would leave `No".` as a sentence with an unmatched quote.
/// - `"... relationship". "So that ..."` splits between the two quotations, and the period
///   outside the closing quote stays with the first one.
/// - "N. Korea" (a heading-like line without final punctuation) is one sentence.
#[test]
fn golden_seed_article() {
    let text = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../datasets/sample/articles/000_73738d2be41c8490.txt"
    ));
    let expected: Vec<(usize, &str)> = vec![
        (
            0,
            "Russian Federation vetoes United Nations resolution on Syria chemical attack",
        ),
        (
            1,
            "Russian Federation has blocked a draft resolution at the United Nations condemning last week's toxic gas attack in Syria.",
        ),
        (
            2,
            "Tillerson reiterated Washington is \"quite confident\" that the recent chemical attack was planned and executed by Syrian government forces, which involved chlorine bombs and other chemical weapons on more than 50 occasions.",
        ),
        (
            3,
            "Foreign policy experts say the U.S. bombing of Syria was done in part to deflect attention from the president's growing list of problems at home, from the investigation of his campaign's alleged ties with Russian Federation to his failed healthcare legislation and blocked travel ban.",
        ),
        (
            4,
            "Lavrov said the USA strike on the Syrian base has undermined peace efforts in Syria and reflected Washington's focus on ousting Syrian President Bashar Assad's government.",
        ),
        (
            5,
            "Secretary of state Rex Tillerson says there is a \"low level of trust\" between Washington and Moscow and they \"cannot have this sort of relationship\".",
        ),
        (
            6,
            "Peskov also said Putin had given Tillerson his views on the situation in Syria, and how it was likely to develop.",
        ),
        (
            7,
            "Tillerson's comments came at a press conference following his meeting with Russian President Vladimir Putin and Foreign Minister Sergey Lavrov.",
        ),
        (
            8,
            "Iran's Mohammad Javad Zarif emphasized that the participants warned that any unilateral action by the unacceptable.",
        ),
        (
            9,
            "More news: Tension spikes over N. Korea, but Pyongyang barely notices",
        ),
        (
            10,
            "\"We will keep monitoring the issue, since the only possible reason for using military force on the territory of Syria is to fight terrorism\", Lavrov said.",
        ),
        (
            11,
            "Earlier in an interview broadcast on Wednesday before the meeting with Tillerson, Putin said mutual trust between Russian Federation and the USA, especially on the military level, had eroded in the first few months of Trump's presidency.",
        ),
        (12, "\"Are we insisting on it? No\"."),
        (
            13,
            "He said there was a \"low level of trust\" and \"the world's two foremost nuclear powers can not have this kind of relationship\".",
        ),
        (
            13,
            "\"So that certain interests and constituencies that he represents feel they have been represented at the negotiating table for a political solution\".",
        ),
        (13, "I wouldn't use the word impossible."),
        (
            14,
            "Lavrov told Tillerson Moscow was hoping to understand Washington's \"real intentions\" and warned that the Kremlin considered it \"fundamentally important\" to prevent more \"unlawful\" United States strikes against its ally Syria.",
        ),
        (
            14,
            "\"But it does seem like you certainly wouldn't be off to a good start\".",
        ),
        (
            14,
            "Russian Federation has never publicly acknowledged any such attacks by Assad's forces and has tried for the past 18 months to help him expand his authority in Syria.",
        ),
        (
            14,
            "But that one would have condemned the USA missile strikes ordered by President Donald Trump in response to the chemical attack.",
        ),
        (
            15,
            "\"Our impression is that the West, mainly the United States, is hand-in-glove with the terrorists\".",
        ),
        (
            15,
            "Tillerson said both countries sought to increase the level of \"senior level communication\" between them.",
        ),
        (
            16,
            "A fact-finding mission from the Organisation for the Prohibition of Chemical Weapons (OPCW) is investigating last week's attack in a rebel-held area of northern Syria.",
        ),
        (
            17,
            "The three ministers also discussed the beefing up of us forces on Jordan's border with Syria.",
        ),
    ];
    for opts in [SplitOptions::default(), space()] {
        let got: Vec<(usize, &str)> = split(text, &opts)
            .iter()
            .map(|s| (s.paragraph, &text[s.start..s.end]))
            .collect();
        assert_eq!(got, expected, "{opts:?}");
    }
}

/// Checks every guarantee of [`split`] on `text`.
fn check_invariants(text: &str, opts: &SplitOptions) -> Result<(), TestCaseError> {
    let spans = split(text, opts);
    let mut previous_end = 0;
    let mut previous_paragraph = 0;
    for span in &spans {
        prop_assert!(span.start < span.end, "empty span {span:?}");
        prop_assert!(
            span.start >= previous_end,
            "overlap or disorder at {span:?}"
        );
        prop_assert!(span.end <= text.len());
        prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        prop_assert!(span.paragraph >= previous_paragraph);
        let s = &text[span.start..span.end];
        prop_assert_eq!(s.trim(), s, "untrimmed span");
        prop_assert!(!s.ends_with('\r'));
        prop_assert!(
            !s.contains('\u{2029}'),
            "paragraph separator inside {:?}",
            s
        );
        // No blank line inside: between two line breaks there must be non-whitespace.
        let mut line_has_content = true;
        let mut previous = '\0';
        for c in s.chars() {
            if is_line_break_char(c) {
                if c == '\n' && previous == '\r' {
                    previous = c;
                    continue;
                }
                prop_assert!(line_has_content, "span crosses a blank line: {:?}", s);
                prop_assert!(
                    opts.line_breaks == LineBreaks::Space,
                    "line break inside a span in sentence mode: {:?}",
                    s
                );
                line_has_content = false;
            } else if !c.is_whitespace() {
                line_has_content = true;
            }
            previous = c;
        }
        previous_end = span.end;
        previous_paragraph = span.paragraph;
    }
    // Every non-whitespace char is covered, and its span has the reference paragraph number.
    let mut paragraph = 0;
    let mut seen = false;
    let mut pending = false;
    let mut line_has_content = false;
    let mut previous = '\0';
    let mut spans_iter = spans.iter().peekable();
    for (i, c) in text.char_indices() {
        if is_line_break_char(c) {
            if !(c == '\n' && previous == '\r') {
                if (!line_has_content || c == '\u{2029}') && seen {
                    pending = true;
                }
                line_has_content = false;
            }
        } else if !c.is_whitespace() {
            line_has_content = true;
            if pending {
                paragraph += 1;
                pending = false;
            }
            seen = true;
            while spans_iter.peek().is_some_and(|s| s.end <= i) {
                spans_iter.next();
            }
            let span = spans_iter.peek();
            prop_assert!(
                span.is_some_and(|s| s.start <= i),
                "char {c:?} at {i} not covered"
            );
            prop_assert_eq!(span.unwrap().paragraph, paragraph, "paragraph at {}", i);
        }
        previous = c;
    }
    Ok(())
}

/// Characters that exercise the splitter's rules, mixed with arbitrary ones.
fn tricky_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        4 => any::<char>().prop_map(String::from),
        6 => prop::sample::select(vec![
            ".", "?", "!", "…", "...", ". . .", " ", " ", "  ", "\n", "\n\n", "\r\n", "\r", "\u{85}",
            "\u{2028}", "\u{2029}", "\u{a0}", "\u{3000}", "\t", "\u{b}", "\u{c}", "\"", "“", "”",
            "'", "’", "(", ")", "[", "]", "A", "I", "The", "He", "a", "word", "Mr", "U.S", "e.g",
            "p.m", "1", "2", "23", "1.", "2)", "a.", "b.", "•", "⁃", "-", "*", "é", "e\u{301}",
            "😀", "N°", "$2.5", "http://x.y/z?q=1", "Inc", "No", "ET", "[", "]",
        ])
        .prop_map(String::from),
    ];
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn invariants_hold_on_arbitrary_strings(text in any::<String>()) {
        check_invariants(&text, &SplitOptions::default())?;
        check_invariants(&text, &space())?;
        check_invariants(&text, &lines())?;
    }

    #[test]
    fn invariants_hold_on_tricky_strings(text in tricky_text()) {
        check_invariants(&text, &SplitOptions::default())?;
        check_invariants(&text, &space())?;
        check_invariants(&text, &lines())?;
    }
}

// Harder cases beyond the golden rules (pySBD's wider English tests and news style).
cases! {
    sentence missing_spaces: "Hello world.Today is Tuesday.Mr. Smith went to the store and bought 1,000.That is a lot." => ["Hello world.", "Today is Tuesday.", "Mr. Smith went to the store and bought 1,000.", "That is a lot."];
    sentence missing_space_not_after_abbreviation: "He met Mr.Smith in St.Louis with J.Smith." => ["He met Mr.Smith in St.Louis with J.Smith."];
    sentence missing_space_not_in_names: "He used ASP.NET and Node.js at Amazon.Com today." => ["He used ASP.NET and Node.js at Amazon.Com today."];
    sentence footnote_after_period: "He was a martyr.[1] The emperor Decius published a decree." => ["He was a martyr.[1]", "The emperor Decius published a decree."];
    sentence inline_numbered_list: "Top reasons: 1. Cost 2. Time 3. Risk" => ["Top reasons:", "1. Cost", "2. Time", "3. Risk"];
    sentence number_then_capital_is_not_a_list: "It rose 5. Then it fell 6 points." => ["It rose 5.", "Then it fell 6 points."];
    sentence iv_abbreviation: "The nurse gave him the i.v. in his vein. She gave him the i.v. It was a great I.V. that she gave him." => ["The nurse gave him the i.v. in his vein.", "She gave him the i.v.", "It was a great I.V. that she gave him."];
    sentence chapter_number: "Please read Ch. 3. It is interesting." => ["Please read Ch. 3.", "It is interesting."];
    sentence price_end: "The price is $3.50. Is that too much?" => ["The price is $3.50.", "Is that too much?"];
    sentence single_quoted_end: "He said, 'I won't go.' Then he left." => ["He said, 'I won't go.'", "Then he left."];
    sentence month_ordinal: "She was born on Jan. 1st, 1990." => ["She was born on Jan. 1st, 1990."];
    sentence ticker_after_inc: "Shares of Apple Inc. (AAPL) rose." => ["Shares of Apple Inc. (AAPL) rose."];
    sentence washington_dc_end: "He went to Washington, D.C. The next day he left." => ["He went to Washington, D.C.", "The next day he left."];
    sentence washington_dc_mid: "He went to Washington D.C. yesterday." => ["He went to Washington D.C. yesterday."];
    sentence party_state_in_parentheses: "Gov. Jerry Brown (D-Calif.) said no. Sen. Elizabeth Warren, D-Mass., agreed." => ["Gov. Jerry Brown (D-Calif.) said no.", "Sen. Elizabeth Warren, D-Mass., agreed."];
    sentence parenthetical_word_end: "Hello (world). How are you?" => ["Hello (world).", "How are you?"];
    sentence attribution_then_quote: "\"We will fight,\" he said. \"We won.\"" => ["\"We will fight,\" he said.", "\"We won.\""];
    sentence quote_with_ellipsis_lowercase: "\"I don't know...\" he said." => ["\"I don't know...\" he said."];
    sentence decimal_at_end: "He scored 9.5. Then he retired." => ["He scored 9.5.", "Then he retired."];
    sentence time_with_zone_and_day: "It ends at 3:30 p.m. EDT Tuesday." => ["It ends at 3:30 p.m. EDT Tuesday."];
    sentence us_rep: "U.S. Rep. John Smith said so." => ["U.S. Rep. John Smith said so."];
    sentence number_one: "He was No. 1. The next year he was not." => ["He was No. 1.", "The next year he was not."];
    sentence initials_im_pei: "It was designed by I. M. Pei in 1989." => ["It was designed by I. M. Pei in 1989."];
    sentence question_in_quote_lowercase_attribution: "“Is it over?” asked the minister. It was." => ["“Is it over?” asked the minister.", "It was."];
    sentence exclamation_brand_continues: "He joined Yahoo! in 2004 and left." => ["He joined Yahoo! in 2004 and left."];
    sentence dateline: "WASHINGTON (Reuters) - The U.S. Senate voted on Tuesday. It passed." => ["WASHINGTON (Reuters) - The U.S. Senate voted on Tuesday.", "It passed."];
    sentence hyphenated_title: "He met then-Sen. Barack Obama in Wels-St. Florian. It rained." => ["He met then-Sen. Barack Obama in Wels-St. Florian.", "It rained."];
    sentence bachelor_degree: "He has a B.A. in English and an M.B.A. from Harvard." => ["He has a B.A. in English and an M.B.A. from Harvard."];
}

// One sentence per line (`LineBreaks::Line`).

fn lines() -> SplitOptions {
    SplitOptions {
        line_breaks: LineBreaks::Line,
    }
}

/// Byte offsets worked out by hand: "One. Two." 0..9, CRLF 9..11, CRLF 11..13 (a blank
/// line), two spaces 13..15, "Three? four" 15..26, U+2028 (3 bytes) 26..29, the emoji (4
/// bytes) 29..33, " five " 33..39 (trimmed: the sentence ends at 38), CRLF 39..41, "six"
/// 41..44. Punctuation ends no sentence; the blank line starts paragraph 1.
#[test]
fn one_per_line_cuts_at_line_breaks_only() {
    let text = "One. Two.\r\n\r\n  Three? four\u{2028}\u{1F600} five \r\nsix";
    let spans: Vec<(usize, usize, usize)> = split(text, &lines())
        .iter()
        .map(|s| (s.start, s.end, s.paragraph))
        .collect();
    assert_eq!(
        spans,
        vec![(0, 9, 0), (15, 26, 1), (29, 38, 1), (41, 44, 1)]
    );
}

/// Leading blank lines open no paragraph; U+2029 (3 bytes) separates paragraphs; a lone
/// `\r`, VT, FF and NEL (2 bytes) are line breaks; whitespace-only text has no sentence.
#[test]
fn one_per_line_paragraphs_and_line_breaks() {
    // "\n \n" 0..3, "a" 3..4, U+2029 4..7, "b" 7..8, "\r" 8, "c" 9, VT 10, "d" 11, FF 12,
    // "e" 13, NEL 14..16, "f" 16..17, "\n\n" 17..19, "g." 19..21.
    let text = "\n \na\u{2029}b\rc\u{0B}d\u{0C}e\u{85}f\n\ng.";
    let spans: Vec<(usize, usize, usize)> = split(text, &lines())
        .iter()
        .map(|s| (s.start, s.end, s.paragraph))
        .collect();
    assert_eq!(
        spans,
        vec![
            (3, 4, 0),
            (7, 8, 1),
            (9, 10, 1),
            (11, 12, 1),
            (13, 14, 1),
            (16, 17, 1),
            (19, 21, 2)
        ]
    );
    assert!(split(" \r\n\t\u{2029}\n", &lines()).is_empty());
    assert!(split("", &lines()).is_empty());
}
