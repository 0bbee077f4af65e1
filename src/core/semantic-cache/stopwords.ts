/** Function words (English, German, French, Spanish; accent-folded): rewording them does not change a question. */
export const stopwords: ReadonlySet<string> = new Set(
  (
    'a an the and or but if of to in on at by for with from as into about over than then so is are was were be been being am do does did done doing have has had ' +
    'can could would should will shall may might must i me my mine we us our you your yours he him his she her it its they them their this that these those ' +
    'what which who whom whose when where why how there here any some all each every much many very also too get got there is way possible need want ' +
    'der die das den dem des ein eine einen einem einer eines und oder aber wenn als wie was wer wo wann warum ist sind war waren sein bin bist hat habe haben hast ' +
    'kann konnen kannst konnte muss mussen soll sollte wird werden wurde ich mich mir mein meine meinen meinem du dich dir dein deine wir uns unser sie ihr ihre es ' +
    'er zu zum zur im in an am auf aus bei mit nach von vom fur uber um so auch noch schon da dort hier gibt man welche welcher welches ' +
    'le la les un une des du de d l et ou mais si que qui quoi quel quelle quels quelles comment pourquoi ou quand est sont etre ai as avons avez ont fait faire ' +
    'je me moi mon ma mes tu te ton ta tes il elle on nous notre nos vous votre vos ils elles leur leurs ce cet cette ces au aux en dans par pour sur avec se ' +
    'peux peut pouvez puis dois doit veux ne ' +
    'el los las una unos unas y o pero que quien cual cuales como donde cuando por para con sin en del al es son esta estan ser estar he ha han hay ' +
    'puedo puede puedes podria mi mis tu tus su sus nuestro yo lo le les se me te nos'
  ).split(' '),
);
