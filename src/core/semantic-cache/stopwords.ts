/**
 * Function words, auxiliaries and modal verbs, and the words that frame a question ("how do I",
 * "is it possible to", "come faccio", "hoe doe ik dat") in English, German, French, Spanish,
 * Italian, Dutch and Portuguese (accent-folded): rewording them does not change a question.
 * Negations are not here: anchors.ts keeps them.
 */
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
    'puedo puede puedes podria mi mis tu tus su sus nuestro yo lo le les se me te nos ' +
    // English frames and modals
    'able like know step steps process procedure best easiest usually normally typically exactly really still currently please way ways ' +
    'going gonna between vs versus per each explain describe available allowed usually someone anyone anybody somebody something anything possible let lets might us ' +
    // German
    'konnte konnten mochte mochten will willst wollen darf durfen moglich gerne geht denn mal jetzt nun genau normalerweise euch ihnen sich ' +
    'dies diese dieser dieses diesen ihm ihn sein seine jemand etwas pro tun machen bekommen bekomme bieten zuruck ab weg hin her vor erklaren ' +
    // French
    'est-ce qu quoi faut il y possible fais dois doit devons veux voudrais aimerais souhaite souhaiterais puis-je peut-on pouvez-vous peux-tu ' +
    'savoir moyen etapes ca cela ceci lui eux ete avoir tres bien encore deja quelqu quelque expliquer droit ' +
    // Spanish
    'podemos pueden quiero quisiera necesito debo tengo manera forma modo pasos hacer hago usted ustedes algo alguna algun ya todavia aun ' +
    'normalmente posible estoy esto eso este ese esa tiene tienen tenemos explicar ' +
    // Italian
    'il gli uno di da con tra fra della dei degli delle nel nella nei al alla allo ai e ma che chi cosa come dove perche quale quali quanto quanta ' +
    'quanti quante io lui lei noi voi loro ti ci vi si mio mia miei mie tuo tua suo nostro vostro questo questa quello quella sono ho hai ' +
    'abbiamo avete hanno posso puoi puo possiamo potete possono potrei vorrei voglio devo deve bisogna fare faccio fate modo anche gia ancora possibile spiegare ' +
    // Dutch
    'het een en of maar als dan dat die dit deze wat wie waar wanneer waarom hoe welke welk ik je jij u hij zij ze wij jullie mij mijn jouw uw ' +
    'ons onze hun ben bent heb hebt heeft hebben kun kunt kunnen kon wil wilt willen moet moeten mag mogen zou zouden word wordt worden er ' +
    'te aan met voor naar bij op om uit tot door nog ook al wel even graag mogelijk manier doe doen kan meestal uitleggen ' +
    // Portuguese
    'os as um uma do da dos das no na nos nas com e ou mas quem qual quais onde porque eu voce voces ele ela eles meu minha meus minhas ' +
    'seu sua seus suas esta isso isto sao tem tenho temos posso pode podem podemos poderia quero queria gostaria preciso devo faco faz ' +
    'jeito maneira ja ainda tambem ao aos pelo pela possivel fazem fazer explicar ' +
    // Question words (anchors.ts compares them) and frames that ask "where is X" as "where can I
    // find X", "what is X" as "what does X mean", "is there X" as "do you offer X"
    'wieso weshalb weswegen wohin woher wem wen wessen quienes adonde aonde waarheen perche quando ' +
    'find finds finding found locate offer offers provide provides mean means meaning ' +
    'finden finde findet bedeutet bedeuten anbieten bietet trouver trouve trouvez signifie veut dire proposez proposer ' +
    'encontrar encuentro encuentra significa ofrecen ofrece trovare trovo trova significa offrite offre ' +
    'vinden vind vindt betekent bieden encontro encontra oferecem oferece ' +
    // Auxiliaries of the future and the past ("when will I", "was suspended")
    'vou vai vais va sera seras fue fueron foi foram stato stata werd werden staat ' +
    // "Can I get X" is "can I have X" is "can I receive X" (English "get" and "receive" are one row, above)
    'using via during recevoir recibir receber ricevere krijgen ' +
    // "Am I allowed to" asks what "can I" asks (English "allowed" above), and "where can I see X" what "where do I find X" does
    'erlaubt gestattet autorise autorisee autorises permis permite permitido permitida consentito permesso toegestaan ' +
    'see sees view sehen sehe voir vois ver veo vedere vedo zien zie vejo'
  ).split(' '),
);
