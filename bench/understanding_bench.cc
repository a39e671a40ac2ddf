// Understanding benchmark (issue 7, part 1): how long it takes to understand
// one message, and how our engine compares with the alternatives.
//
// "Understanding" is the pure path of bot::Guide without sessions, dialogue
// or hand-off: Normalize() + CrisisScreen::Screen() + Matcher::Match(). It
// runs on the real intents/ and on synthetic rule sets of 1,000 and 5,000
// patterns shaped like the real ones, for short (~20 B), typical (~120 B) and
// long (~2 KiB) messages. In the same run, the same patterns and the same
// (normalised) messages go through:
//   patternset  bot::PatternSet, one RE2::Set pass (what the stages use)
//   re2_loop    one RE2::PartialMatch per pattern
//   std_regex   one std::regex_search per pattern (libstdc++)
//   pcre2_jit   one pcre2_jit_match per pattern
//   hyperscan   one hs_scan over a multi-pattern database
// Every engine must find exactly the same matching patterns for every message;
// that is checked once when an engine is built, and the run stops if not.
//
// Benchmark names (bench/table.py reads them from the JSON):
//   engine/<engine>/<set>/<size>        engine = pipeline or one of the above
//   stage/<stage>/real/<size>           normalize, screen, match, converse
//   maxmem/<set>/<size>/<MiB>           PatternSet at other max_mem budgets
//   threads/<engine>/<set>/typical      shared matcher state vs. 1 and 2 threads
//   cliff_check                         runs last; fails on a cliff
// Each iteration handles one message, so a benchmark's time is ns/message.
//
// A cliff (RE2::Set's DFA cache filling, which makes it silently 100x slower)
// fails loudly: a DFA out-of-memory error skips the benchmark with "cliff:",
// cliff_check compares per-byte costs across set sizes and message sizes,
// and the program exits with status 1 when either happened.
//
//   bench/run                  (builds build-bench, runs, prints the table)
#include <benchmark/benchmark.h>
#include <hs.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <re2/filtered_re2.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "bot/content.h"
#include "bot/content_loader.h"
#include "bot/crisis_screen.h"
#include "bot/guide.h"
#include "bot/matcher.h"
#include "bot/normalizer.h"
#include "bot/pattern_set.h"

namespace reconnect::bench {
namespace {

using bot::Content;
using bot::Intent;
using bot::Pattern;

[[noreturn]] void Die(const std::string& why) {
  std::cerr << "understanding_bench: " << why << std::endl;
  std::exit(2);
}

// Set when a cliff was seen; main() then exits with status 1.
bool g_cliff = false;

// A small deterministic generator (splitmix64), the same on every platform,
// unlike std::uniform_int_distribution.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
  bool Percent(int p) { return Below(100) < static_cast<size_t>(p); }

 private:
  uint64_t state_;
};

// ---------------------------------------------------------------------------
// Messages. Raw text as a person types it (capitals, curly apostrophes); the
// engines get it normalised, as the stages do.

enum class Size { kShort, kTypical, kLong };
const char* SizeName(Size s) {
  switch (s) {
    case Size::kShort:
      return "short";
    case Size::kTypical:
      return "typical";
    case Size::kLong:
      return "long";
  }
  return "?";
}
constexpr Size kSizes[] = {Size::kShort, Size::kTypical, Size::kLong};

const char* const kShort[] = {
    "What is EMDR exactly?",  "I feel so alone today",  "how do I book a visit",
    "can we talk about sex",  "he won’t touch me",      "Hi, is anyone there?",
    "I can’t trust anyone",   "thanks, that helped!",   "how much does it cost",
    "i keep shutting down",   "Are you open Sundays?",  "why do I push her away",
    "what’s somatic therapy", "i'm scared of intimacy", "I hate being touched",
    "do you take insurance",
};

const char* const kTypical[] = {
    "My partner and I keep fighting about small things, and I don’t know how "
    "to stop shutting down when he raises his voice.",
    "Ever since the accident I can’t sleep properly and I get flashbacks at "
    "night. Is that something therapy could help with?",
    "I want to be close to my girlfriend but whenever she hugs me I freeze "
    "and pull away. Why does my body do that?",
    "How does a first session with one of your therapists usually go, and do "
    "I have to talk about everything straight away?",
    "We’ve been together for eight years and lately it feels like we are "
    "just roommates. How do we get the closeness back?",
    "this week at work is honestly killing me, I barely have the energy to "
    "talk to my husband when I get home in the evening",
    "I grew up with a dad who drank and yelled a lot, and now I notice I "
    "panic whenever someone I love gets even a bit angry.",
    "Is it normal to not want sex at all after what happened to me? My "
    "partner is patient but I feel guilty all the time.",
    "Can you explain the difference between EMDR and somatic therapy? I’m "
    "trying to work out which one might suit me better.",
    "I don’t really know why I’m writing. I just feel numb most days and I’m "
    "tired of pretending everything is fine at home.",
    "What are your opening hours and is it possible to book an evening "
    "appointment online, because I work until six?",
    "My wife says I’m emotionally unavailable. I think she might be right, "
    "but I don’t know where to even start changing that.",
    "Sometimes I feel like I don’t want to be here anymore and I don’t know "
    "who to tell about it without worrying everyone.",
    "How can I support my boyfriend when he has a panic attack? I never know "
    "if I should hold him or give him some space.",
    "Do you offer couples therapy for people who are both trauma survivors, "
    "or would we need to see separate therapists first?",
    "When we argue I go completely blank and can’t find any words, and "
    "afterwards I hate myself for not standing up for me.",
};

// Sentences of a rambling message; each long message is a different
// deterministic shuffle of them, cut near 2 KiB.
const char* const kRamble[] = {
    "Okay so I don’t even know where to start with this, sorry in advance "
    "because it’s going to be long.",
    "My partner and I have been together for almost six years now and for the "
    "first couple of years everything felt easy.",
    "Lately though it feels like there’s a wall between us and I’m the one who "
    "built it, brick by brick, without noticing.",
    "When he reaches for my hand on the sofa I flinch, and then I see his face "
    "drop and I feel awful about it for the rest of the night.",
    "I grew up in a house where nobody talked about feelings, you just kept "
    "your head down and waited for the shouting to stop.",
    "A therapist I saw years ago said something about attachment styles but "
    "honestly I stopped going because of the cost.",
    "Some nights I lie awake replaying arguments from weeks ago, thinking of "
    "all the things I should have said instead of going quiet.",
    "I’ve read a bit about EMDR and somatic work online but I have no idea "
    "which would actually help someone like me.",
    "Work has been a lot too, my manager keeps piling things on and by the "
    "time I get home I have nothing left for anyone.",
    "We used to laugh all the time, we’d cook together on Sundays and dance "
    "around the kitchen like idiots, and I miss that so much.",
    "Sex has become this huge thing that we both avoid talking about, and the "
    "longer we avoid it the bigger it gets.",
    "He says he isn’t angry with me, he just wants to understand, but I can’t "
    "explain something I don’t understand myself.",
    "My sister thinks I should just leave, but she doesn’t see the good days, "
    "and there are still good days, more than bad ones.",
    "I also get these moments where everything goes a bit foggy and far away, "
    "like I’m watching myself from the corner of the room.",
    "Is that something other people experience too, or am I just overthinking "
    "it because I’ve been reading too much at 2am?",
    "I guess what I’m asking is whether couples counselling would make sense "
    "for us or if I need to sort myself out on my own first.",
    "And if we did come in, would we have to talk about my childhood in front "
    "of him, because I’m not sure I’m ready for that.",
    "Also practical stuff, do you do evening sessions, and is there any way to "
    "pay in instalments, money is tight right now.",
    "Sorry, I know this is all over the place, my thoughts are a bit of a "
    "tangle today and typing it out helps a little.",
    "The thing that scares me most is that he’ll eventually get tired of "
    "waiting for me to let him in and just go.",
    "My best friend went through something similar with her husband and she "
    "says therapy saved their marriage, but every story is different.",
    "Sometimes I think I’m fine and then a smell or a song drags me straight "
    "back to being twelve years old in that hallway.",
    "We tried one of those relationship apps with daily questions but it felt "
    "forced and we gave up after about a week.",
    "I want to feel safe being close to someone without my whole body "
    "screaming at me to run, is that even possible?",
    "Our anniversary is next month and I really want to be able to enjoy it "
    "instead of bracing for some kind of disaster.",
    "He’s been really patient, honestly more patient than I deserve, and that "
    "almost makes the guilt worse.",
    "I read somewhere that trauma lives in the body and that made a lot of "
    "sense, because my shoulders are always up by my ears.",
    "Anyway, I’d love to hear what you think the first step would be, and "
    "whether your clinic works with people like us.",
    "My mum keeps asking when we’re having kids and every family dinner turns "
    "into the same painful conversation.",
    "I’ve started journaling again, which helps a bit, but I end up writing "
    "the same three pages about the same fears.",
    "The weekends are the hardest, because there’s no work to hide behind and "
    "all the quiet between us gets really loud.",
    "Last week we had a good talk for the first time in ages, and then I "
    "ruined it by getting defensive about nothing.",
    "I don’t think I’m in danger or anything like that, I’m just exhausted "
    "from feeling like this all the time.",
};

constexpr size_t kLongMessages = 32;
constexpr size_t kLongBytes = 2048;

struct Pool {
  std::vector<std::string> raw;
  std::vector<std::string> normalized;
  double mean_bytes = 0;  // raw
};

Pool MakePool(std::vector<std::string> raw) {
  Pool pool;
  pool.raw = std::move(raw);
  size_t total = 0;
  for (const std::string& m : pool.raw) {
    pool.normalized.push_back(bot::Normalize(m));
    total += m.size();
  }
  pool.mean_bytes = static_cast<double>(total) / pool.raw.size();
  return pool;
}

const Pool& Messages(Size size) {
  static const Pool* pools = [] {
    auto* p = new Pool[3];
    p[0] = MakePool({std::begin(kShort), std::end(kShort)});
    p[1] = MakePool({std::begin(kTypical), std::end(kTypical)});
    std::vector<std::string> longs;
    Rng rng(7);
    const size_t n = std::size(kRamble);
    for (size_t m = 0; m < kLongMessages; ++m) {
      std::vector<size_t> order(n);
      for (size_t i = 0; i < n; ++i) order[i] = i;
      for (size_t i = n - 1; i > 0; --i) std::swap(order[i], order[rng.Below(i + 1)]);
      std::string text;
      for (size_t i : order) {
        std::string next = text.empty() ? kRamble[i] : std::string(" ") + kRamble[i];
        if (text.size() + next.size() > kLongBytes + 64) continue;
        text += next;
        if (text.size() >= kLongBytes - 64) break;
      }
      longs.push_back(text);
    }
    p[2] = MakePool(std::move(longs));
    return p;
  }();
  return pools[static_cast<int>(size)];
}

// ---------------------------------------------------------------------------
// Rule sets: the real intents, and synthetic ones shaped like them.

struct RuleSet {
  std::string name;
  Content content;                    // for the stages
  std::vector<std::string> patterns;  // every pattern and exclusion, in order
};

std::unique_ptr<RuleSet> LoadReal() {
  auto set = std::make_unique<RuleSet>();
  set->name = "real";
  auto content = bot::LoadContent(std::string(RECONNECT_SOURCE_DIR) + "/intents");
  if (!content.ok()) Die(std::string(content.status().message()));
  set->content = std::move(*content);
  for (const Intent& intent : set->content.intents) {
    for (const Pattern& p : intent.patterns) set->patterns.push_back(p.regex);
    for (const Pattern& p : intent.excludes) set->patterns.push_back(p.regex);
  }
  return set;
}

// Words of the rules: the vocabulary of the real intents (relationships,
// trauma, therapy, the clinic) and ordinary English around it.
const char* const kWords[] = {
    "partner", "boyfriend", "girlfriend", "husband", "wife", "spouse",
    "therapy", "therapist", "counselling", "counselor", "session", "sessions",
    "trauma", "traumatic", "ptsd", "flashback", "flashbacks", "nightmare",
    "nightmares", "trigger", "triggered", "panic", "anxiety", "anxious",
    "attack", "freeze", "frozen", "numb", "foggy", "dissociate", "dissociating",
    "trust", "close", "closeness", "intimacy", "intimate", "touch", "touched",
    "hug", "hugs", "sex", "desire", "affection", "distance", "wall", "space",
    "argue", "arguing", "argument", "fight", "fighting", "yell", "yelled",
    "shout", "shouting", "angry", "anger", "guilt", "guilty", "shame",
    "ashamed", "blame", "fault", "sorry", "apology", "forgive", "repair",
    "heal", "healing", "cope", "coping", "root", "roots", "past", "childhood",
    "parent", "parents", "mother", "mum", "mom", "father", "dad", "sister",
    "brother", "family", "kids", "children", "friend", "friends", "alone",
    "lonely", "scared", "afraid", "fear", "fears", "safe", "safety", "unsafe",
    "boundary", "boundaries", "listen", "listening", "talk", "talking",
    "words", "blank", "quiet", "silent", "withdraw", "avoid", "avoiding",
    "attachment", "secure", "insecure", "abandon", "abandoned", "leave",
    "leaving", "stay", "cheat", "cheated", "affair", "jealous", "marriage",
    "married", "divorce", "breakup", "relationship", "relationships",
    "together", "roommates", "anniversary", "book", "booking", "appointment",
    "appointments", "visit", "cost", "price", "fees", "insurance", "pay",
    "instalments", "online", "video", "hours", "open", "opening", "evening",
    "weekend", "sunday", "sundays", "morning", "emdr", "somatic", "body",
    "bodies", "breath", "breathe", "breathing", "grounding", "calm", "relax",
    "shoulders", "sleep", "sleeping", "insomnia", "tired", "exhausted",
    "overwhelmed", "stress", "stressed", "pressure", "work", "job", "manager",
    "money", "house", "home", "kitchen", "dinner", "journaling", "journal",
    "notebook", "apps", "questions", "step", "steps", "start", "begin",
    "change", "changing", "stuck", "hope", "hopeless", "worthless", "pretend",
    "pretending", "fine", "okay", "normal", "explain", "understand",
    "difference", "suit", "approach", "approaches", "method", "methods",
    "couples", "survivor", "survivors", "separate", "support", "supporting",
    "help", "helped", "helps", "patient", "patience", "deserve", "disaster",
    "bracing", "hallway", "smell", "song", "memory", "memories", "remember",
    "forget", "defensive", "ruined", "flinch", "reach", "hand", "sofa",
    "laugh", "cook", "dance", "miss", "love", "loved", "lover", "care",
    "caring", "kind", "gentle", "rough", "violent", "abuse", "abusive",
    "assault", "rape", "neglect", "betrayal", "betrayed", "lied", "lying",
    "secret", "secrets", "privacy", "confidential", "data", "record",
    "records", "crisis", "emergency", "danger", "hurt", "hurting", "pain",
    "painful", "cry", "crying", "tears", "sad", "sadness", "depressed",
    "depression", "grief", "loss", "lost", "dead", "death", "alive",
    "medication", "pills", "doctor", "gp", "psychiatrist", "psychologist",
    "clinic", "clinician", "referral", "waiting", "waitlist", "list",
    "address", "parking", "wheelchair", "access", "language", "spanish",
    "french", "interpreter", "email", "phone", "call", "text", "message",
    "reply", "human", "person", "someone", "anyone", "nobody", "everyone",
    "bot", "robot", "real", "fake", "joke", "funny", "weather", "football",
    "recipe", "homework", "code", "crypto", "stocks", "politics", "vote",
    "garden", "holiday", "travel", "flight", "hotel", "car", "bike", "dog",
    "cat", "pet", "birthday", "wedding", "party", "drink", "drinking",
    "drunk", "alcohol", "drugs", "weed", "smoke", "smoking", "gamble",
    "gambling", "porn", "screen", "phone", "social", "media", "instagram",
    "tiktok", "news", "music", "movie", "book", "read", "reading", "write",
    "writing", "typing", "thoughts", "thinking", "overthinking", "mind",
    "brain", "nervous", "system", "vagus", "polyvagal", "window",
    "tolerance", "regulate", "regulation", "soothe", "self", "esteem",
    "confidence", "worth", "enough", "perfect", "mistake", "mistakes",
};

// A typing slip like the real rules' variants ("thearp", "truam").
std::string Typo(const std::string& w, Rng& rng) {
  if (w.size() < 4) return w;
  std::string t = w;
  size_t i = 1 + rng.Below(t.size() - 2);
  std::swap(t[i], t[i + 1]);
  return t;
}

// Words of the synthetic crisis rules: specific, as the real crisis.* ones
// are, so that ordinary messages rarely escalate.
const char* const kCrisisWords[] = {
    "suicide", "suicidal", "kill myself", "end my life", "end it all",
    "want to die", "better off dead", "no reason to live", "overdose",
    "overdosed", "took all my pills", "cut myself", "cutting", "self harm",
    "harming myself", "hurt myself", "bleeding", "blood everywhere",
    "unconscious", "not breathing", "can't breathe", "chest pain",
    "he hit me", "she hit me", "hits me", "beat me", "choked me", "strangled",
    "threatened to kill", "has a knife", "has a gun", "locked me in",
    "not safe at home", "scared for my life", "going to hurt me", "raped",
    "assaulted me", "forced me", "jump off", "bridge", "noose", "rope",
    "goodbye letter", "final goodbye", "ambulance", "call 911", "emergency",
    "poison", "swallowed", "collapsed", "seizure", "stroke", "heart attack",
    "talk to a human", "real person", "speak to someone", "operator",
};

struct Vocab {
  const char* const* words;
  size_t size;
};
constexpr Vocab kOrdinary{kWords, std::size(kWords)};
constexpr Vocab kCrisis{kCrisisWords, std::size(kCrisisWords)};

std::string Term(Rng& rng, const Vocab& vocab) {
  const std::string w = vocab.words[rng.Below(vocab.size)];
  switch (rng.Below(10)) {
    case 0:
    case 1:
    case 2:  // a stem: therap\w*
      return w.size() > 5 ? w.substr(0, w.size() - 2) + "\\w*" : w;
    case 3:
      return Typo(w, rng) + (rng.Percent(50) ? "\\w*" : "");
    case 4:
      return w + "s?";
    case 5:
      return w + " " + kWords[rng.Below(std::size(kWords))];
    default:
      return w;
  }
}

std::string Alt(Rng& rng, const Vocab& vocab, size_t lo, size_t hi) {
  const size_t k = lo + rng.Below(hi - lo + 1);
  std::string out = "(";
  for (size_t i = 0; i < k; ++i) {
    if (i > 0) out += "|";
    out += Term(rng, vocab);
  }
  return out + ")";
}

const char* const kDeterminers = "( (a|the|my|our|your|his|her|their))?";
const char* const kQuestion =
    "\\b(what|how|why|when|where|can|should|do|does|is|are) "
    "(i|we|you|my partner|he|she|they)( [a-z']+){0,2} ";

// One rule in one of the shapes of intents/*.yaml.
std::string Shape(Rng& rng, const Vocab& v, int kind) {
  static const int kGaps[] = {15, 20, 25, 30, 40, 50, 60};
  switch (kind) {
    case 0:  // phrase: \b(types?|kinds?) (of )?(therap\w*|counsel\w*)\b
      return "\\b" + Alt(rng, v, 3, 8) + kDeterminers + " " + Alt(rng, v, 3, 8) + "\\b";
    case 1:  // gap: \broots?\b.{0,40}\bcop(e|ing)\b
      return "\\b" + Alt(rng, v, 2, 6) + "\\b.{0," +
             std::to_string(kGaps[rng.Below(std::size(kGaps))]) + "}\\b" +
             Alt(rng, v, 2, 6) + "\\b";
    case 2:  // word gap: \b(chest)( [a-z']+){0,3} (hurts|pain)\b
      return "\\b" + Alt(rng, v, 2, 6) + "( [a-z']+){0," +
             std::to_string(1 + rng.Below(4)) + "} " + Alt(rng, v, 2, 6) + "\\b";
    case 3:  // a question about something
      return kQuestion + Alt(rng, v, 3, 8) + "\\b";
    case 4:  // keywords
      return "\\b" + Alt(rng, v, 3, 10) + "\\b";
    default:  // alternatives of the above, as many real rules are
      return Shape(rng, v, static_cast<int>(rng.Below(2))) + "|" +
             Shape(rng, v, 1 + static_cast<int>(rng.Below(4)));
  }
}

std::unique_ptr<RuleSet> Synthetic(size_t n) {
  auto set = std::make_unique<RuleSet>();
  set->name = "syn" + std::to_string(n);
  Rng rng(0x5eed0000 + n);
  // Shares by kind, close to the real files: 30% phrases, 25% gaps, 10% word
  // gaps, 10% questions, 10% keywords, 15% alternatives.
  static const int kCumulative[] = {30, 55, 65, 75, 85, 100};
  for (size_t i = 0; i < n; ++i) {
    const size_t roll = rng.Below(100);
    int kind = 0;
    while (roll >= static_cast<size_t>(kCumulative[kind])) ++kind;
    // The first tenth belong to the escalating intents (below).
    set->patterns.push_back(Shape(rng, i < n / 10 ? kCrisis : kOrdinary, kind));
  }
  // Intents of 10 rules; the first tenth escalate, like crisis.* does.
  static const double kWeights[] = {1.0, 1.5, 2.0};
  const size_t per_intent = 10;
  const size_t intents = (n + per_intent - 1) / per_intent;
  for (size_t k = 0; k < intents; ++k) {
    Intent intent;
    intent.escalate = k < intents / 10;
    intent.id = (intent.escalate ? "crisis.syn" : "syn.") + std::to_string(k);
    intent.title = intent.id;
    for (size_t i = k * per_intent; i < std::min(n, (k + 1) * per_intent); ++i) {
      Pattern p;
      p.regex = set->patterns[i];
      p.weight = kWeights[rng.Below(3)];
      intent.patterns.push_back(p);
    }
    set->content.intents.push_back(std::move(intent));
  }
  return set;
}

const RuleSet& Rules(const std::string& name) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<RuleSet>> sets;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = sets[name];
  if (slot == nullptr) {
    if (name == "real") {
      slot = LoadReal();
    } else if (name == "syn1000") {
      slot = Synthetic(1000);
    } else if (name == "syn5000") {
      slot = Synthetic(5000);
    } else {
      Die("unknown rule set " + name);
    }
  }
  return *slot;
}

// ---------------------------------------------------------------------------
// Fresh messages. The hand-written pools above repeat, so after a few
// iterations every DFA state RE2::Set needs is already in its cache: that
// measures a hot cache. People do not repeat themselves, so the "fresh"
// benchmarks draw from a stream of generated messages in which (apart from
// some short ones) no message comes twice, continuing across repetitions:
// every message a benchmark times is one the engine has not seen before.

const char* const kSubjects[] = {
    "i", "my partner", "we", "my husband", "my wife", "he", "she",
    "my boyfriend", "my girlfriend", "my mum", "my dad", "my therapist",
    "everyone", "nobody", "my best friend", "my sister", "they", "you"};
const char* const kVerbs[] = {
    "feel like i", "keep trying to", "want to", "can’t stop trying to",
    "don’t know how to", "am scared to", "tried to", "never", "always",
    "used to", "hate to", "need to", "would like to", "try not to",
    "forget to", "refuse to", "pretend to", "am learning to"};
const char* const kActions[] = {
    "talk about", "think about", "deal with", "get over", "look for",
    "ask about", "worry about", "avoid", "miss", "remember", "explain",
    "understand", "book", "stop", "mention", "laugh about", "argue about",
    "read about", "cry about", "write about", "plan", "fix", "hide"};
const char* const kDets[] = {"the", "my", "our", "his", "her", "some",
                             "a bit of", "all the", "that", "this"};
const char* const kEveryday[] = {
    "coffee", "train", "bus", "rain", "garden", "laundry", "phone bill",
    "groceries", "meeting", "email", "weekend plans", "traffic", "neighbours",
    "football match", "birthday cake", "holiday photos", "car keys",
    "dishes", "tv show", "podcast", "gym", "lunch", "shopping list",
    "new job", "old house", "late shift", "school run", "dentist"};
const char* const kConnectors[] = {
    "and", "but", "because", "when", "so", "even though", "whenever",
    "since", "after", "before", "while", "and then", "or"};
const char* const kOpeners[] = {
    "honestly", "sometimes", "lately", "to be honest", "i guess",
    "every night", "at work", "ever since last year", "last week", "ok so",
    "hi", "sorry", "the thing is", "weirdly", "most days", "on sundays"};
const char* const kAsks[] = {
    "what is", "how about", "i miss", "i hate", "help with", "why",
    "tell me about", "can i", "about", "i need", "is there", "what about",
    "no more", "still", "worried about", "thinking about", "scared of"};

std::string Object(Rng& rng) {
  std::string det = kDets[rng.Below(std::size(kDets))];
  std::string noun = rng.Percent(60) ? kWords[rng.Below(std::size(kWords))]
                                     : kEveryday[rng.Below(std::size(kEveryday))];
  return det + " " + noun;
}

std::string Clause(Rng& rng) {
  return std::string(kSubjects[rng.Below(std::size(kSubjects))]) + " " +
         kVerbs[rng.Below(std::size(kVerbs))] + " " +
         kActions[rng.Below(std::size(kActions))] + " " + Object(rng);
}

std::string Sentence(Rng& rng) {
  std::string s;
  if (rng.Percent(40)) s = std::string(kOpeners[rng.Below(std::size(kOpeners))]) + ", ";
  s += Clause(rng);
  const size_t more = rng.Below(3);
  for (size_t i = 0; i < more; ++i) {
    s += std::string(" ") + kConnectors[rng.Below(std::size(kConnectors))] +
         " " + Clause(rng);
  }
  static const char* const kEnds[] = {".", ".", ".", "?", "!", "...", ""};
  s += kEnds[rng.Below(std::size(kEnds))];
  s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

std::string FreshMessage(Rng& rng, Size size) {
  if (size == Size::kShort) {
    for (;;) {
      std::string m = std::string(kAsks[rng.Below(std::size(kAsks))]) + " " +
                      kWords[rng.Below(std::size(kWords))];
      if (rng.Percent(50)) m += "?";
      if (m.size() >= 14 && m.size() <= 26) return m;
      if (m.size() < 14) return m + " " + kEveryday[rng.Below(std::size(kEveryday))];
    }
  }
  const size_t lo = size == Size::kTypical ? 100 : kLongBytes - 80;
  const size_t hi = size == Size::kTypical ? 150 : kLongBytes + 80;
  for (;;) {
    std::string m;
    while (m.size() < lo) {
      if (!m.empty()) m += " ";
      m += Sentence(rng);
    }
    if (m.size() <= hi) return m;
  }
}

// How many messages each fresh stream holds: more than a benchmark's
// repetitions take at the speeds seen, so none comes twice (the "reused"
// counter says when one did). Fresh benchmarks pick their iterations as the
// hot ones do, by time.
size_t FreshStreamLength(Size size) {
  return size == Size::kShort ? 300000 : size == Size::kTypical ? 200000 : 20000;
}

const Pool& FreshStream(Size size) {
  static const Pool* pools = [] {
    auto* p = new Pool[3];
    for (Size s : kSizes) {
      Rng rng(1000 + static_cast<uint64_t>(s));
      std::vector<std::string> raw;
      const size_t n = FreshStreamLength(s);
      raw.reserve(n);
      for (size_t i = 0; i < n; ++i) raw.push_back(FreshMessage(rng, s));
      p[static_cast<int>(s)] = MakePool(std::move(raw));
    }
    return p;
  }();
  return pools[static_cast<int>(size)];
}

// Where each fresh benchmark is in its stream, across repetitions.
size_t& FreshCursor(const std::string& key) {
  static std::map<std::string, size_t> cursors;
  return cursors[key];
}

// ---------------------------------------------------------------------------
// A candidate fast path for bot::Normalize (bench only; see README
// "Findings"). For text that is ASCII apart from curly quotes, no-break
// spaces and the ellipsis, Unicode NFKC, case folding and mark stripping
// reduce to lower-casing, so none of utf8proc's tables are needed; any other
// text (accents, combining marks, invalid bytes, emoji...) returns false and
// goes the full way. Checked against bot::Normalize on every message here.
bool FastNormalize(std::string_view raw, std::string* out) {
  out->clear();
  out->reserve(raw.size());
  bool pending_space = false;
  int last = -1;
  int run = 0;
  auto emit = [&](char c) {
    if (c == last) {
      ++run;
      if (run >= 3 && c >= 'a' && c <= 'z') return;  // "soooo" -> "soo"
    } else {
      last = c;
      run = 1;
    }
    if (pending_space) {
      out->push_back(' ');
      pending_space = false;
    }
    out->push_back(c);
  };
  auto space = [&] {
    pending_space = !out->empty();
    last = -1;
    run = 0;
  };
  const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
  const size_t n = raw.size();
  for (size_t i = 0; i < n;) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      if (c == ' ' || (c >= '\t' && c <= '\r')) {
        space();
      } else if (c < 0x20 || c == 0x7f) {
        // control characters are dropped
      } else {
        if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
        if (c == '`') c = '\'';
        emit(static_cast<char>(c));
      }
      continue;
    }
    if (c == 0xC2 && i + 1 < n && p[i + 1] == 0xA0) {  // no-break space
      space();
      i += 2;
      continue;
    }
    if (c == 0xE2 && i + 2 < n && p[i + 1] == 0x80) {
      const unsigned char d = p[i + 2];
      if (d == 0x98 || d == 0x99) {  // ‘ ’
        emit('\'');
      } else if (d == 0x9C || d == 0x9D) {  // “ ”
        emit('"');
      } else if (d == 0xA6) {  // … (NFKC: three dots)
        emit('.');
        emit('.');
        emit('.');
      } else {
        return false;
      }
      i += 3;
      continue;
    }
    return false;
  }
  return true;
}

void CheckFastNormalize();
void CheckFastNormalizeOnce() {
  static const bool checked = [] {
    CheckFastNormalize();
    return true;
  }();
  (void)checked;
}

std::string NormalizeWithFastPath(std::string_view raw) {
  std::string out;
  if (!FastNormalize(raw, &out)) out = bot::Normalize(raw);
  return out;
}

// Dies unless the fast path gives bot::Normalize's answer on every message
// of the benchmark and on the awkward cases below.
void CheckFastNormalize() {
  std::vector<std::string> texts = {
      "", "   ", "  Hi  there \t\n friend  ", "soooo tired", "HELLLLP me",
      "aaa bbb", "it`s fine", "don’t “quote” me…", "a\xC2\xA0" "b",
      "ctrl\x01\x7f chars", "tab\tand\r\nnewlines", "café", "e\xCC\x81",
      "bad \xFF byte", "emoji 😀 here", "!!!???...", "12333 aaaa", "’’’",
      "x\xE2\x80\x8By", "Stra\xC3\x9F" "e", "ﬁne", "ＨＥＬＰ"};
  for (Size size : kSizes) {
    for (const std::string& m : Messages(size).raw) texts.push_back(m);
    const auto& fresh = FreshStream(size).raw;
    for (size_t i = 0; i < 2000 && i < fresh.size(); ++i) texts.push_back(fresh[i]);
  }
  size_t fast = 0;
  for (const std::string& t : texts) {
    std::string out;
    if (FastNormalize(t, &out)) {
      ++fast;
      if (out != bot::Normalize(t)) {
        Die("fast normaliser differs on \"" + t + "\": \"" + out + "\" vs \"" +
            bot::Normalize(t) + "\"");
      }
    }
  }
  std::cerr << "fast normaliser: same as bot::Normalize on " << texts.size()
            << " texts, " << fast << " of them on the fast path" << std::endl;
}

// ---------------------------------------------------------------------------
// Engines. Match() puts the indices (into RuleSet::patterns) of the patterns
// that match somewhere in `text` into *hits, ascending.

class Engine {
 public:
  virtual ~Engine() = default;
  virtual bool Match(std::string_view text, std::vector<int>* hits,
                     std::string* error) = 0;
  // Patterns this engine could not compile ("index: reason"); they are left
  // out of it and out of its agreement check.
  std::vector<std::string> left_out;
  std::set<int> left_out_ids;
  size_t compiled = 0;
  // Our own engines report errors as cliffs; the others as their failures.
  bool ours = false;
  // Anything worth knowing about how it was built, for the log.
  virtual std::string Describe() { return ""; }
};

class PatternSetEngine : public Engine {
 public:
  PatternSetEngine(const std::vector<std::string>& patterns, int64_t max_mem) {
    ours = true;
    bot::PatternSet::Options options;
    if (max_mem > 0) options.max_mem = max_mem;
    auto set = bot::PatternSet::Compile(patterns, options);
    if (!set.ok()) {
      status_ = std::string(set.status().message());
      return;
    }
    set_ = std::move(*set);
    compiled = patterns.size();
  }
  bool Match(std::string_view text, std::vector<int>* hits,
             std::string* error) override {
    auto matched = set_->Match(text);
    if (!matched.ok()) {
      *error = std::string(matched.status().message());
      return false;
    }
    *hits = std::move(*matched);
    return true;
  }
  const std::string& status() const { return status_; }

 private:
  std::unique_ptr<bot::PatternSet> set_;
  std::string status_;  // empty when compiled
};

class Re2LoopEngine : public Engine {
 public:
  explicit Re2LoopEngine(const std::vector<std::string>& patterns) {
    RE2::Options options(RE2::Quiet);
    for (size_t i = 0; i < patterns.size(); ++i) {
      auto re = std::make_unique<RE2>(patterns[i], options);
      if (!re->ok()) {
        left_out.push_back(std::to_string(i) + ": " + re->error());
        left_out_ids.insert(static_cast<int>(i));
        continue;
      }
      res_.push_back(std::move(re));
      ids_.push_back(static_cast<int>(i));
    }
    compiled = res_.size();
  }
  bool Match(std::string_view text, std::vector<int>* hits,
             std::string*) override {
    const re2::StringPiece piece(text.data(), text.size());
    for (size_t i = 0; i < res_.size(); ++i) {
      if (RE2::PartialMatch(piece, *res_[i])) hits->push_back(ids_[i]);
    }
    return true;
  }

 private:
  std::vector<std::unique_ptr<RE2>> res_;
  std::vector<int> ids_;
};

class StdRegexEngine : public Engine {
 public:
  explicit StdRegexEngine(const std::vector<std::string>& patterns) {
    for (size_t i = 0; i < patterns.size(); ++i) {
      try {
        res_.emplace_back(patterns[i], std::regex::ECMAScript);
        ids_.push_back(static_cast<int>(i));
      } catch (const std::regex_error& e) {
        left_out.push_back(std::to_string(i) + ": " + e.what());
        left_out_ids.insert(static_cast<int>(i));
      }
    }
    compiled = res_.size();
  }
  bool Match(std::string_view text, std::vector<int>* hits,
             std::string* error) override {
    for (size_t i = 0; i < res_.size(); ++i) {
      try {
        if (std::regex_search(text.begin(), text.end(), res_[i])) {
          hits->push_back(ids_[i]);
        }
      } catch (const std::regex_error& e) {
        *error = "std::regex pattern " + std::to_string(ids_[i]) + ": " + e.what();
        return false;
      }
    }
    return true;
  }

 private:
  std::vector<std::regex> res_;
  std::vector<int> ids_;
};

class Pcre2JitEngine : public Engine {
 public:
  explicit Pcre2JitEngine(const std::vector<std::string>& patterns) {
    for (size_t i = 0; i < patterns.size(); ++i) {
      int code = 0;
      PCRE2_SIZE offset = 0;
      pcre2_code* re = pcre2_compile(
          reinterpret_cast<PCRE2_SPTR>(patterns[i].data()), patterns[i].size(),
          PCRE2_UTF, &code, &offset, nullptr);
      if (re == nullptr || (code = pcre2_jit_compile(re, PCRE2_JIT_COMPLETE)) != 0) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(code, message, sizeof(message));
        left_out.push_back(std::to_string(i) + ": " +
                           reinterpret_cast<const char*>(message));
        left_out_ids.insert(static_cast<int>(i));
        if (re != nullptr) pcre2_code_free(re);
        continue;
      }
      res_.push_back(re);
      ids_.push_back(static_cast<int>(i));
    }
    compiled = res_.size();
    data_ = pcre2_match_data_create(1, nullptr);
    context_ = pcre2_match_context_create(nullptr);
    stack_ = pcre2_jit_stack_create(64 << 10, 8 << 20, nullptr);
    pcre2_jit_stack_assign(context_, nullptr, stack_);
  }
  ~Pcre2JitEngine() override {
    for (pcre2_code* re : res_) pcre2_code_free(re);
    pcre2_match_data_free(data_);
    pcre2_match_context_free(context_);
    pcre2_jit_stack_free(stack_);
  }
  bool Match(std::string_view text, std::vector<int>* hits,
             std::string* error) override {
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    for (size_t i = 0; i < res_.size(); ++i) {
      const int rc =
          pcre2_jit_match(res_[i], subject, text.size(), 0, 0, data_, context_);
      // 0: a match with more groups than the one-pair ovector holds.
      if (rc >= 0) {
        hits->push_back(ids_[i]);
      } else if (rc != PCRE2_ERROR_NOMATCH) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(rc, message, sizeof(message));
        *error = "pcre2 pattern " + std::to_string(ids_[i]) + ": " +
                 reinterpret_cast<const char*>(message);
        return false;
      }
    }
    return true;
  }

 private:
  std::vector<pcre2_code*> res_;
  std::vector<int> ids_;
  pcre2_match_data* data_ = nullptr;
  pcre2_match_context* context_ = nullptr;
  pcre2_jit_stack* stack_ = nullptr;
};

#ifndef RECONNECT_BENCH_HS_FLAGS
#define RECONNECT_BENCH_HS_FLAGS 0
#endif
constexpr unsigned kExtraFlags = RECONNECT_BENCH_HS_FLAGS;

class HyperscanEngine : public Engine {
 public:
  explicit HyperscanEngine(const std::vector<std::string>& patterns) {
    // One report per pattern. Like RE2 here: ASCII \w and \b, '.' not
    // matching a newline (the normaliser leaves none). HS_FLAG_UTF8 would make
    // '.' a code point as in RE2, but makes compiling the gap rules about
    // HS_UTF8_COST times slower; the messages are ASCII once normalised, where
    // the two agree (checked below).
    const unsigned flags = HS_FLAG_SINGLEMATCH | kExtraFlags;
    std::vector<const char*> exprs;
    std::vector<unsigned> all_flags;
    for (size_t i = 0; i < patterns.size(); ++i) {
      exprs.push_back(patterns[i].c_str());
      ids_.push_back(static_cast<unsigned>(i));
      all_flags.push_back(flags);
    }
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(exprs.data(), all_flags.data(), ids_.data(),
                         static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK,
                         nullptr, &db_, &err) != HS_SUCCESS) {
      // Find the patterns it refuses, one by one, and leave them out.
      hs_free_compile_error(err);
      exprs.clear();
      ids_.clear();
      all_flags.clear();
      for (size_t i = 0; i < patterns.size(); ++i) {
        hs_database_t* one = nullptr;
        if (hs_compile(patterns[i].c_str(), flags, HS_MODE_BLOCK, nullptr,
                       &one, &err) != HS_SUCCESS) {
          left_out.push_back(std::to_string(i) + ": " + err->message);
          left_out_ids.insert(static_cast<int>(i));
          hs_free_compile_error(err);
          continue;
        }
        hs_free_database(one);
        exprs.push_back(patterns[i].c_str());
        ids_.push_back(static_cast<unsigned>(i));
        all_flags.push_back(flags);
      }
      if (hs_compile_multi(exprs.data(), all_flags.data(), ids_.data(),
                           static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK,
                           nullptr, &db_, &err) != HS_SUCCESS) {
        Die(std::string("hyperscan: ") + err->message);
      }
    }
    if (hs_alloc_scratch(db_, &scratch_) != HS_SUCCESS) Die("hyperscan scratch");
    compiled = exprs.size();
  }
  ~HyperscanEngine() override {
    hs_free_scratch(scratch_);
    hs_free_database(db_);
  }
  bool Match(std::string_view text, std::vector<int>* hits,
             std::string* error) override {
    return MatchWith(scratch_, text, hits, error);
  }
  // For threads: each needs its own scratch (hs_alloc_scratch on db()).
  bool MatchWith(hs_scratch_t* scratch, std::string_view text,
                 std::vector<int>* hits, std::string* error) const {
    if (hs_scan(db_, text.data(), static_cast<unsigned>(text.size()), 0,
                scratch, &OnMatch, hits) != HS_SUCCESS) {
      *error = "hs_scan failed";
      return false;
    }
    std::sort(hits->begin(), hits->end());
    return true;
  }
  const hs_database_t* db() const { return db_; }

 private:
  static int OnMatch(unsigned id, unsigned long long, unsigned long long,
                     unsigned, void* context) {
    static_cast<std::vector<int>*>(context)->push_back(static_cast<int>(id));
    return 0;
  }
  std::vector<unsigned> ids_;
  hs_database_t* db_ = nullptr;
  hs_scratch_t* scratch_ = nullptr;
};

// Candidate designs for bot/ (measured here only; see README "Findings").

// The patterns dealt in order into RE2::Sets of `shard` patterns each: a
// smaller set has fewer combinations of threads in flight, so fewer DFA
// states, at the price of one pass per shard.
class ShardedSetEngine : public Engine {
 public:
  ShardedSetEngine(const std::vector<std::string>& patterns, size_t shard) {
    ours = true;
    for (size_t first = 0; first < patterns.size(); first += shard) {
      const size_t last = std::min(patterns.size(), first + shard);
      std::vector<std::string> part(patterns.begin() + first,
                                    patterns.begin() + last);
      auto set = bot::PatternSet::Compile(part, {});
      if (!set.ok()) Die(std::string(set.status().message()));
      shards_.push_back(std::move(*set));
      offsets_.push_back(static_cast<int>(first));
    }
    compiled = patterns.size();
  }
  bool Match(std::string_view text, std::vector<int>* hits,
             std::string* error) override {
    for (size_t k = 0; k < shards_.size(); ++k) {
      auto matched = shards_[k]->Match(text);
      if (!matched.ok()) {
        *error = std::string(matched.status().message());
        return false;
      }
      for (int i : *matched) hits->push_back(offsets_[k] + i);
    }
    return true;
  }

 private:
  std::vector<std::unique_ptr<bot::PatternSet>> shards_;
  std::vector<int> offsets_;
};

// RE2's own prefilter (re2/filtered_re2.h): each pattern is reduced to the
// literal "atoms" it cannot match without; one RE2::Set of those literals
// (an Aho-Corasick automaton as a DFA, whose states are bounded by the atoms'
// total length, so its cache warms up and stays warm) finds the atoms in the
// text, and only the patterns whose atoms are present run, one RE2 each.
class FilteredEngine : public Engine {
 public:
  explicit FilteredEngine(const std::vector<std::string>& patterns)
      : filter_(kMinAtomLength) {
    ours = true;
    RE2::Options options(RE2::Quiet);
    for (size_t i = 0; i < patterns.size(); ++i) {
      int id = 0;
      if (filter_.Add(patterns[i], options, &id) != RE2::NoError) {
        Die("filtered_re2: pattern " + std::to_string(i));
      }
    }
    std::vector<std::string> atoms;
    filter_.Compile(&atoms);
    std::vector<std::string> literals;
    for (const std::string& a : atoms) literals.push_back(RE2::QuoteMeta(a));
    auto set = bot::PatternSet::Compile(literals, {});
    if (!set.ok()) Die(std::string(set.status().message()));
    atoms_ = std::move(*set);
    atom_count = atoms.size();
    compiled = patterns.size();
  }
  bool Match(std::string_view text, std::vector<int>* hits,
             std::string* error) override {
    auto atoms = atoms_->Match(text);
    if (!atoms.ok()) {
      *error = std::string(atoms.status().message());
      return false;
    }
    filter_.AllMatches(re2::StringPiece(text.data(), text.size()), *atoms, hits);
    std::sort(hits->begin(), hits->end());
    return true;
  }
  std::string Describe() override {
    // Patterns with no atom always run; the others when their atoms occur.
    std::vector<int> none, potentials;
    filter_.AllPotentials(none, &potentials);
    size_t candidates = 0, n = 0;
    for (Size size : {Size::kTypical}) {
      for (const std::string& text : Messages(size).normalized) {
        auto atoms = atoms_->Match(text);
        if (!atoms.ok()) continue;
        std::vector<int> p;
        filter_.AllPotentials(*atoms, &p);
        candidates += p.size();
        ++n;
      }
    }
    return std::to_string(atom_count) + " atoms; " +
           std::to_string(potentials.size()) +
           " patterns without atoms always run; on typical messages " +
           std::to_string(n ? candidates / n : 0) + " patterns run";
  }
  size_t atom_count = 0;

 private:
  static constexpr int kMinAtomLength = 3;
  re2::FilteredRE2 filter_;
  std::unique_ptr<bot::PatternSet> atoms_;
};

// Left out, and said so in the README: std::regex over the long messages at
// 5,000 patterns (seconds per message), and Hyperscan on the real intents
// (hs_compile_multi had not finished after 18 minutes).
bool Skipped(const std::string& engine, const std::string& set, Size size) {
  return (engine == "std_regex" && set == "syn5000" && size == Size::kLong) ||
         (engine == "hyperscan" && set == "real");
}

PatternSetEngine& Reference(const std::string& set);

// How many messages of each fresh stream the agreement check also runs.
constexpr size_t kFreshChecked = 16;

// Every message of every size through `engine` must give the reference's
// hits (minus the patterns the engine left out). Dies on a disagreement.
void CheckAgreement(const std::string& name, const std::string& set,
                    Engine& engine) {
  PatternSetEngine& ref = Reference(set);
  size_t messages = 0;
  for (Size size : kSizes) {
    if (Skipped(name, set, size)) continue;
    std::vector<std::string> texts = Messages(size).normalized;
    const auto& fresh = FreshStream(size).normalized;
    texts.insert(texts.end(), fresh.begin(), fresh.begin() + kFreshChecked);
    for (const std::string& text : texts) {
      std::vector<int> want, got;
      std::string error;
      if (!ref.Match(text, &want, &error)) {
        Die("reference failed on " + set + ": " + error);
      }
      want.erase(std::remove_if(want.begin(), want.end(),
                                [&](int i) { return engine.left_out_ids.count(i); }),
                 want.end());
      if (!engine.Match(text, &got, &error)) {
        Die(name + " failed on " + set + ": " + error);
      }
      if (got != want) {
        std::ostringstream why;
        why << name << " disagrees with RE2::Set on " << set << " for \""
            << text << "\":";
        std::vector<int> only_ref, only_engine;
        std::set_difference(want.begin(), want.end(), got.begin(), got.end(),
                            std::back_inserter(only_ref));
        std::set_difference(got.begin(), got.end(), want.begin(), want.end(),
                            std::back_inserter(only_engine));
        const auto& patterns = Rules(set).patterns;
        for (int i : only_ref) why << "\n  only RE2::Set: #" << i << " " << patterns[i];
        for (int i : only_engine) why << "\n  only " << name << ": #" << i << " " << patterns[i];
        Die(why.str());
      }
      ++messages;
    }
  }
  std::cerr << "agreement: " << name << " on " << set << ": " << engine.compiled
            << " patterns, " << messages << " messages, same hits as RE2::Set";
  if (!engine.left_out.empty()) {
    std::cerr << "; left out " << engine.left_out.size() << " patterns it cannot compile, e.g. "
              << engine.left_out.front();
  }
  std::cerr << std::endl;
}

int64_t MaxMemFor(const std::string& set);

std::unique_ptr<Engine> Build(const std::string& name, const RuleSet& rules) {
  if (name == "patternset") {
    auto e = std::make_unique<PatternSetEngine>(rules.patterns,
                                                MaxMemFor(rules.name));
    if (!e->status().empty()) Die(rules.name + ": " + e->status());
    return e;
  }
  if (name == "re2_loop") return std::make_unique<Re2LoopEngine>(rules.patterns);
  if (name == "std_regex") return std::make_unique<StdRegexEngine>(rules.patterns);
  if (name == "pcre2_jit") return std::make_unique<Pcre2JitEngine>(rules.patterns);
  if (name == "hyperscan") return std::make_unique<HyperscanEngine>(rules.patterns);
  if (name == "filtered_re2") return std::make_unique<FilteredEngine>(rules.patterns);
  if (name.rfind("sharded", 0) == 0) {
    return std::make_unique<ShardedSetEngine>(
        rules.patterns, static_cast<size_t>(std::stoul(name.substr(7))));
  }
  Die("unknown engine " + name);
}

std::mutex engines_mu;

// The max_mem our engine runs with on `set`: PatternSet's default when the
// set compiles in it, else the smallest power of two that does (found by
// measurement and reported, since the guide would refuse to start).
int64_t MaxMemFor(const std::string& set) {
  static std::map<std::string, int64_t> found;
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  auto it = found.find(set);
  if (it != found.end()) return it->second;
  const int64_t fallback = bot::PatternSet::Options().max_mem;
  int64_t mem = fallback;
  for (; mem <= (int64_t{4} << 30); mem *= 2) {
    if (bot::PatternSet::Compile(Rules(set).patterns, {mem}).ok()) break;
  }
  if (mem > (int64_t{4} << 30)) Die(set + " does not compile even in 4 GiB");
  if (mem != fallback) {
    std::cerr << "max_mem: " << set << " does not compile in PatternSet's "
              << "default " << (fallback >> 20) << " MiB; using "
              << (mem >> 20) << " MiB" << std::endl;
  }
  return found[set] = mem;
}

PatternSetEngine& Reference(const std::string& set) {
  static std::map<std::string, std::unique_ptr<PatternSetEngine>> refs;
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = refs[set];
  if (slot == nullptr) {
    slot = std::make_unique<PatternSetEngine>(Rules(set).patterns,
                                              MaxMemFor(set));
    if (!slot->status().empty()) Die(set + ": " + slot->status());
  }
  return *slot;
}

// Built, and checked against the reference, once per engine and set.
Engine& GetEngine(const std::string& name, const std::string& set) {
  static std::map<std::string, std::unique_ptr<Engine>> engines;
  std::lock_guard<std::mutex> lock(engines_mu);
  auto& slot = engines[name + "/" + set];
  if (slot == nullptr) {
    const auto start = std::chrono::steady_clock::now();
    slot = Build(name, Rules(set));
    const double secs = std::chrono::duration<double>(
                            std::chrono::steady_clock::now() - start)
                            .count();
    std::cerr << "built: " << name << " on " << set << " in " << secs << " s"
              << (slot->Describe().empty() ? "" : ": " + slot->Describe())
              << std::endl;
    CheckAgreement(name, set, *slot);
  }
  return *slot;
}

// The stages as bot::Guide wires them, with default options.
struct Stages {
  std::unique_ptr<bot::CrisisScreen> screen;
  std::unique_ptr<bot::Matcher> matcher;
};

const Stages& GetStages(const std::string& set) {
  static std::map<std::string, std::unique_ptr<Stages>> all;
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = all[set];
  if (slot == nullptr) {
    const RuleSet& rules = Rules(set);
    slot = std::make_unique<Stages>();
    bot::Matcher::Options options;
    options.pattern_set.max_mem = MaxMemFor(set);
    auto screen = bot::CrisisScreen::Create(rules.content, options.pattern_set);
    if (!screen.ok()) Die(set + ": " + std::string(screen.status().message()));
    auto matcher = bot::Matcher::Create(rules.content, options);
    if (!matcher.ok()) Die(set + ": " + std::string(matcher.status().message()));
    slot->screen = std::move(*screen);
    slot->matcher = std::move(*matcher);
  }
  return *slot;
}

// ---------------------------------------------------------------------------
// Measurements kept for cliff_check: ns per message and per byte, the median
// of the repetitions.

struct Measured {
  // Google Benchmark first calls a benchmark with 1, 10, 100... iterations
  // to find how many fill the minimum time, then repeats with that count:
  // only the runs with the most iterations are measurements.
  int64_t iterations = 0;
  std::vector<double> ns_per_message;
  double bytes_per_message = 0;
};
std::map<std::string, Measured>& Measurements() {
  static std::map<std::string, Measured> m;
  return m;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

class Timer {
 public:
  Timer() : start_(std::chrono::steady_clock::now()) {}
  double ns() const {
    return std::chrono::duration<double, std::nano>(
               std::chrono::steady_clock::now() - start_)
        .count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

void Finish(benchmark::State& state, const std::string& key, double ns,
            size_t bytes, size_t hits) {
  const auto n = static_cast<double>(state.iterations());
  if (n == 0) return;
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["ns_per_msg"] = ns / n;
  state.counters["msg_bytes"] = static_cast<double>(bytes) / n;
  state.counters["hits"] = static_cast<double>(hits) / n;
  if (state.threads() == 1) {
    Measured& m = Measurements()[key];
    if (state.iterations() < m.iterations) return;
    if (state.iterations() > m.iterations) {
      m.iterations = state.iterations();
      m.ns_per_message.clear();
    }
    m.ns_per_message.push_back(ns / n);
    m.bytes_per_message = static_cast<double>(bytes) / n;
  }
}

void Fail(benchmark::State& state, bool ours, const std::string& where,
          const std::string& what) {
  if (ours) {
    g_cliff = true;
    std::cerr << "CLIFF: " << where << ": " << what << std::endl;
    state.SkipWithError(("cliff: " + what).c_str());
  } else {
    state.SkipWithError(what.c_str());
  }
}

// ---------------------------------------------------------------------------
// The benchmarks. Each iteration handles one message; "hot" ones rotate
// through the hand-written pool, "fresh" ones take the next messages of the
// generated stream and run a fixed number of iterations.

enum class Mode { kHot, kFresh };
const char* ModeName(Mode m) { return m == Mode::kHot ? "hot" : "fresh"; }

// The messages of one benchmark run, in order.
class Feed {
 public:
  Feed(Mode mode, Size size, bool raw, const std::string& key) {
    const Pool& pool = mode == Mode::kHot ? Messages(size) : FreshStream(size);
    texts_ = raw ? &pool.raw : &pool.normalized;
    if (mode == Mode::kFresh) {
      saved_ = &FreshCursor(key);
      i_ = *saved_;
    }
  }
  ~Feed() {
    if (saved_ != nullptr) *saved_ = i_;
  }
  const std::string& Next() {
    const std::string& text = (*texts_)[i_];
    if (++i_ == texts_->size()) {
      i_ = 0;
      wrapped_ = true;
    }
    return text;
  }
  // For fresh runs: whether the stream ran out and messages came again.
  bool wrapped() const { return wrapped_ && saved_ != nullptr; }

 private:
  const std::vector<std::string>* texts_;
  size_t i_ = 0;
  size_t* saved_ = nullptr;
  bool wrapped_ = false;
};

std::string Key(const char* kind, Mode mode, const std::string& what,
                const std::string& set, Size size) {
  return std::string(kind) + "/" + ModeName(mode) + "/" + what + "/" + set +
         "/" + SizeName(size);
}

// One engine over normalised messages.
void BM_Engine(benchmark::State& state, std::string engine, std::string set,
               Size size, Mode mode) {
  Engine& e = GetEngine(engine, set);
  const std::string key = Key("engine", mode, engine, set, size);
  Feed feed(mode, size, false, key);
  std::vector<int> hits;
  std::string error;
  size_t bytes = 0, total_hits = 0;
  Timer timer;
  for (auto _ : state) {
    const std::string& text = feed.Next();
    hits.clear();
    if (!e.Match(text, &hits, &error)) {
      Fail(state, e.ours, key, error);
      break;
    }
    bytes += text.size();
    total_hits += hits.size();
  }
  const double ns = timer.ns();
  state.counters["patterns"] = static_cast<double>(e.compiled);
  state.counters["reused"] = feed.wrapped();
  Finish(state, key, ns, bytes, total_hits);
}

// Normalise + crisis screen + match, from raw text: the understanding path
// of Guide::Turn without sessions, dialogue or hand-off.
void BM_Pipeline(benchmark::State& state, std::string set, Size size,
                 Mode mode, bool fast_normalize) {
  const Stages& stages = GetStages(set);
  if (fast_normalize) CheckFastNormalizeOnce();
  const std::string key = Key("engine", mode,
                              fast_normalize ? "pipeline_fastnorm" : "pipeline",
                              set, size);
  Feed feed(mode, size, true, key);
  size_t bytes = 0, escalated = 0, on_topic = 0, ambiguous = 0;
  Timer timer;
  for (auto _ : state) {
    const std::string& raw = feed.Next();
    const std::string normalized =
        fast_normalize ? NormalizeWithFastPath(raw) : bot::Normalize(raw);
    auto screen = stages.screen->Screen(normalized);
    if (!screen.ok()) {
      Fail(state, true, key, std::string(screen.status().message()));
      break;
    }
    if (screen->escalate) {
      ++escalated;
    } else {
      auto match = stages.matcher->Match(normalized);
      if (!match.ok()) {
        Fail(state, true, key, std::string(match.status().message()));
        break;
      }
      on_topic += match->decision == bot::MatchResult::kIntent;
      ambiguous += match->decision == bot::MatchResult::kAmbiguous;
      benchmark::DoNotOptimize(match->ranked.data());
    }
    bytes += raw.size();
  }
  const double ns = timer.ns();
  const double n = std::max<double>(1, static_cast<double>(state.iterations()));
  state.counters["escalated"] = static_cast<double>(escalated) / n;
  state.counters["on_topic"] = static_cast<double>(on_topic) / n;
  state.counters["ambiguous"] = static_cast<double>(ambiguous) / n;
  state.counters["max_mem_mib"] = static_cast<double>(MaxMemFor(set) >> 20);
  state.counters["reused"] = feed.wrapped();
  Finish(state, key, ns, bytes, 0);
}

// One stage alone on the real intents, to see where the time goes.
void BM_Stage(benchmark::State& state, std::string stage, Size size,
              Mode mode) {
  const Stages& stages = GetStages("real");
  if (stage == "normalize_fast") CheckFastNormalizeOnce();
  const std::string key = Key("stage", mode, stage, "real", size);
  Feed feed(mode, size, stage.rfind("normalize", 0) == 0, key);
  size_t bytes = 0;
  Timer timer;
  for (auto _ : state) {
    const std::string& text = feed.Next();
    if (stage == "normalize") {
      benchmark::DoNotOptimize(bot::Normalize(text));
    } else if (stage == "normalize_fast") {
      benchmark::DoNotOptimize(NormalizeWithFastPath(text));
    } else if (stage == "screen") {
      auto r = stages.screen->Screen(text);
      if (!r.ok()) {
        Fail(state, true, key, std::string(r.status().message()));
        break;
      }
      benchmark::DoNotOptimize(r->escalate);
    } else {
      auto r = stages.matcher->Match(text);
      if (!r.ok()) {
        Fail(state, true, key, std::string(r.status().message()));
        break;
      }
      benchmark::DoNotOptimize(r->decision);
    }
    bytes += text.size();
  }
  const double ns = timer.ns();
  state.counters["reused"] = feed.wrapped();
  Finish(state, key, ns, bytes, 0);
}

// The whole Guide::Converse (sessions in memory, no escalation store), over
// 1,000 conversations in turn.
void BM_Converse(benchmark::State& state, Size size, Mode mode) {
  static bot::Guide* guide = [] {
    auto g = bot::Guide::Create(std::string(RECONNECT_SOURCE_DIR) + "/intents",
                                "", bot::GuideOptions{});
    if (!g.ok()) Die(std::string(g.status().message()));
    return g->release();
  }();
  const std::string key = Key("stage", mode, "converse", "real", size);
  Feed feed(mode, size, true, key);
  bot::Message message;
  message.channel = "bench";
  message.locale = "en-US";
  static size_t conversation = 0;
  size_t bytes = 0;
  Timer timer;
  for (auto _ : state) {
    message.text = feed.Next();
    message.conversation_id = "bench-" + std::to_string(conversation++ % 1000);
    auto reply = guide->Converse(message);
    if (!reply.ok()) {
      state.SkipWithError(std::string(reply.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(reply->messages.data());
    bytes += message.text.size();
  }
  const double ns = timer.ns();
  state.counters["reused"] = feed.wrapped();
  Finish(state, key, ns, bytes, 0);
}

// PatternSet at another max_mem, to size the default by measurement.
void BM_MaxMem(benchmark::State& state, std::string set, Size size,
               int64_t mib, Mode mode) {
  // One at a time, built afresh for each benchmark: up to 1 GiB of cache each.
  static std::unique_ptr<PatternSetEngine> slot;
  static std::string built_for;
  const std::string which = set + "/" + SizeName(size) + "/" +
                            std::to_string(mib) + "/" + ModeName(mode);
  if (built_for != which) {
    slot.reset();
    slot = std::make_unique<PatternSetEngine>(Rules(set).patterns, mib << 20);
    built_for = which;
  }
  if (!slot->status().empty()) {
    state.SkipWithError(("does not compile: " + slot->status()).c_str());
    return;
  }
  const std::string key = std::string("maxmem/") + ModeName(mode) + "/" + set +
                          "/" + SizeName(size) + "/" + std::to_string(mib);
  Feed feed(mode, size, false, key);
  std::vector<int> hits;
  std::string error;
  size_t bytes = 0, total_hits = 0;
  Timer timer;
  for (auto _ : state) {
    const std::string& text = feed.Next();
    if (!slot->Match(text, &hits, &error)) {
      // Expected below the default budget; a measurement, not a cliff.
      state.SkipWithError(("DFA out of memory at this max_mem: " + error).c_str());
      break;
    }
    bytes += text.size();
    total_hits += hits.size();
  }
  const double ns = timer.ns();
  state.counters["reused"] = feed.wrapped();
  Finish(state, key, ns, bytes, total_hits);
}

// Shared matcher state under 1 and 2 threads: does the RE2 DFA cache's lock
// show? Hyperscan alongside, with a scratch per thread as it requires.
// Typical messages, hand-written pool (hot), each thread at its own offset.
void BM_Threads(benchmark::State& state, std::string engine, std::string set) {
  const auto& pool = Messages(Size::kTypical);
  size_t i = static_cast<size_t>(state.thread_index()) * 5, bytes = 0;
  std::vector<int> hits;
  std::string error;
  hs_scratch_t* scratch = nullptr;
  Engine* e = nullptr;
  const Stages* stages = nullptr;
  if (engine == "pipeline") {
    stages = &GetStages(set);
  } else {
    e = &GetEngine(engine, set);
    if (engine == "hyperscan") {
      auto* hs = static_cast<HyperscanEngine*>(e);
      if (hs_alloc_scratch(hs->db(), &scratch) != HS_SUCCESS) Die("scratch");
    }
  }
  for (auto _ : state) {
    const size_t k = i % pool.raw.size();
    ++i;
    bool ok = true;
    if (stages != nullptr) {
      const std::string normalized = bot::Normalize(pool.raw[k]);
      auto screen = stages->screen->Screen(normalized);
      ok = screen.ok();
      if (ok && !screen->escalate) {
        auto match = stages->matcher->Match(normalized);
        ok = match.ok();
        if (ok) benchmark::DoNotOptimize(match->decision);
      }
    } else {
      hits.clear();
      ok = scratch != nullptr
               ? static_cast<HyperscanEngine*>(e)->MatchWith(
                     scratch, pool.normalized[k], &hits, &error)
               : e->Match(pool.normalized[k], &hits, &error);
    }
    if (!ok) {
      Fail(state, true, "threads/" + engine, "matching failed under threads");
      break;
    }
    bytes += pool.raw[k].size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(state.iterations());
  if (scratch != nullptr) hs_free_scratch(scratch);
}

// Runs last. Compares per-byte costs of our engine: 5,000 vs 1,000 patterns
// at each message size, and long vs typical messages in each rule set. A
// ratio over kCliff means the DFA cache is thrashing (or something else
// superlinear) and fails the run.
constexpr double kCliff = 20;

void BM_CliffCheck(benchmark::State& state) {
  for (auto _ : state) {
  }
  auto per_byte = [](const std::string& key, double* out) {
    auto it = Measurements().find(key);
    if (it == Measurements().end() || it->second.ns_per_message.empty() ||
        it->second.bytes_per_message == 0) {
      return false;
    }
    *out = Median(it->second.ns_per_message) / it->second.bytes_per_message;
    return true;
  };
  std::ostringstream report, cliffs;
  double worst_sets = 0, worst_sizes = 0, worst_fresh = 0;
  int compared = 0;
  auto check = [&](const std::string& what, const std::string& a,
                   const std::string& b, double* worst) {
    double x = 0, y = 0;
    if (!per_byte(a, &x) || !per_byte(b, &y)) return;
    const double r = x / y;
    ++compared;
    *worst = std::max(*worst, r);
    report << "  " << what << ": per byte x" << r << (r > kCliff ? "  CLIFF" : "")
           << "\n";
    if (r > kCliff) cliffs << what << " x" << r << "; ";
  };
  for (const char* engine : {"pipeline", "patternset"}) {
    for (Mode mode : {Mode::kHot, Mode::kFresh}) {
      const std::string prefix =
          std::string("engine/") + ModeName(mode) + "/" + engine + "/";
      for (Size size : kSizes) {
        check(std::string(engine) + " " + ModeName(mode) + " " +
                  SizeName(size) + " messages, 5,000 vs 1,000 patterns",
              prefix + "syn5000/" + SizeName(size),
              prefix + "syn1000/" + SizeName(size), &worst_sets);
      }
      for (const char* set : {"real", "syn1000", "syn5000"}) {
        check(std::string(engine) + " " + ModeName(mode) + " " + set +
                  ", long vs typical messages",
              prefix + set + "/long", prefix + set + "/typical", &worst_sizes);
      }
    }
    for (const char* set : {"real", "syn1000", "syn5000"}) {
      for (Size size : kSizes) {
        check(std::string(engine) + " " + set + " " + SizeName(size) +
                  ", fresh vs hot messages",
              std::string("engine/fresh/") + engine + "/" + set + "/" + SizeName(size),
              std::string("engine/hot/") + engine + "/" + set + "/" + SizeName(size),
              &worst_fresh);
      }
    }
  }
  state.counters["worst_5k_vs_1k_per_byte"] = worst_sets;
  state.counters["worst_long_vs_typical_per_byte"] = worst_sizes;
  state.counters["worst_fresh_vs_hot_per_byte"] = worst_fresh;
  state.counters["comparisons"] = compared;
  std::cerr << "cliff check (fails above x" << kCliff << "):\n"
            << (compared ? report.str() : "  nothing to compare (filtered)\n");
  if (!cliffs.str().empty()) {
    g_cliff = true;
    state.SkipWithError(("cliff: " + cliffs.str()).c_str());
  }
}

void RegisterAll() {
  const std::vector<std::string> sets = {"real", "syn1000", "syn5000"};
  const std::vector<std::string> engines = {
      "pipeline",  "pipeline_fastnorm", "patternset", "re2_loop",
      "std_regex", "pcre2_jit",         "hyperscan",  "filtered_re2",
      "sharded64"};
  for (Mode mode : {Mode::kFresh, Mode::kHot}) {
    for (const std::string& set : sets) {
      for (Size size : kSizes) {
        for (const std::string& engine : engines) {
          if (Skipped(engine, set, size)) continue;
          const std::string name = Key("engine", mode, engine, set, size);
          benchmark::internal::Benchmark* b =
              engine.rfind("pipeline", 0) == 0
                  ? benchmark::RegisterBenchmark(name.c_str(), BM_Pipeline,
                                                 set, size, mode,
                                                 engine == "pipeline_fastnorm")
                  : benchmark::RegisterBenchmark(name.c_str(), BM_Engine,
                                                 engine, set, size, mode);
          // Milliseconds per message: a few will do.
          if (engine == "std_regex") b->MinTime(0.05);
        }
      }
    }
  }
  for (Mode mode : {Mode::kFresh, Mode::kHot}) {
    for (Size size : kSizes) {
      for (const char* stage :
           {"normalize", "normalize_fast", "screen", "match", "converse"}) {
        const std::string name = Key("stage", mode, stage, "real", size);
        if (std::string(stage) == "converse") {
          benchmark::RegisterBenchmark(name.c_str(), BM_Converse, size, mode);
        } else {
          benchmark::RegisterBenchmark(name.c_str(), BM_Stage,
                                       std::string(stage), size, mode);
        }
      }
    }
  }
  for (Mode mode : {Mode::kFresh, Mode::kHot}) {
    for (const std::string& set : sets) {
      for (Size size : {Size::kTypical, Size::kLong}) {
        for (int64_t mib : {8, 64, 256, 1024}) {
          const std::string name = std::string("maxmem/") + ModeName(mode) +
                                   "/" + set + "/" + SizeName(size) + "/" +
                                   std::to_string(mib);
          benchmark::RegisterBenchmark(name.c_str(), BM_MaxMem, set, size,
                                       mib, mode);
        }
      }
    }
  }
  for (const auto& [engine, set] :
       std::vector<std::pair<std::string, std::string>>{
           {"pipeline", "real"},
           {"patternset", "syn1000"},
           {"hyperscan", "syn1000"}}) {
    benchmark::RegisterBenchmark(
        ("threads/" + engine + "/" + set + "/typical").c_str(), BM_Threads,
        engine, set)
        ->Threads(1)
        ->Threads(2)
        ->UseRealTime();
  }
  benchmark::RegisterBenchmark("cliff_check", BM_CliffCheck)
      ->Iterations(1)
      ->Repetitions(1);
}

}  // namespace
}  // namespace reconnect::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  reconnect::bench::RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (reconnect::bench::g_cliff) {
    std::cerr << "understanding_bench: FAILED: a cliff was detected (see "
                 "'cliff:' errors above)"
              << std::endl;
    return 1;
  }
  return 0;
}
