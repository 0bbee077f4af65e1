/**
 * Common given and family names that @faker-js/faker's locale data (name-lists.ts) lacks,
 * written by hand from the most frequent names of each country (national statistics offices'
 * published top-name tables: Netherlands, India, Ireland, Nigeria, Poland, Ukraine, China,
 * Japan, Vietnam, Arab countries). Names only, one space-separated string per locale; a name
 * that is also a common word in one of the scanned languages is left out (or added to
 * name-gazetteer.ts's `alsoWords`, where it counts only before a known family name).
 */
export const extraGivenNames: Readonly<Record<string, string>> = {
  nl: `Jeroen Marloes Annemiek Hanneke Gert Henk Wim Ruud Rutger Gerrit Hendrik Klaas Sjoerd Wietske Jorien Mieke Anneke Gerda Hennie Joke
    Marjolein Ingrid Linda Esmee Jente Merel Nienke Pien Romy Sietske Tessa Yara Bart Erik Gijs Jelle Joep Jorrit Maarten
    Menno Niek Pim Reinier Remco Sander Siebe Stefan Teun Tijmen Twan Vincent Wessel Willem Wouter Yannick Arjen Arnoud Dirk Douwe Evert
    Freek Gerben Harm Hidde Hylke Jochem Jurre Kees Lammert Sem Bas Luuk Lieke Fenna Noa Saar Jip Mees Sanne Bram Floortje Jasmijn Isa Maud Mark Marten Mathijs Melle Pepijn Rik Roel Rogier Ruben Sieger Sytse Thijmen`,
  in: `Venkatesh Aarti Harsh Ayesha Farhan Salman Tanvi Anusha Bhavna Chetan Darshan Dinesh Ganesh Girish Harish Hemant Jagdish Jayesh
    Kalpana Kamlesh Lalit Mahesh Manoj Mukesh Nagesh Naveen Nilesh Pankaj Prakash Pradeep Praveen Rakesh Rupesh Sachin Santosh Satish
    Shailesh Shankar Srinivas Subhash Sudhir Sumit Umesh Vinod Yogesh Anitha Bhavya Chitra Deepa Geetha Hema Indu Jyoti Kavya Lata Madhuri
    Manisha Nandini Padma Prema Radhika Rekha Revathi Sangeeta Saritha Shalini Shobha Smita Sowmya Sudha Swapna Usha Vandana Vidya Yamini
    Abhinav Akash Aniket Ankit Ashwin Chirag Gautam Hitesh Jatin Kunal Mayank Mohit Nitin Pranav Rishabh Saurabh Shubham Tarun Varun
    Swathi Swati Balaji Srinivasan Chinmay Gurpreet Harpreet Manpreet Jaspreet Simran Navjot Sandeep Kuldeep Rajinder Sukhwinder Senthil
    Murugan Karthikeyan Arun Prasanna Saravanan Vignesh Gokul Ramya Keerthana Aishwarya Bharath Sathish Sriram Raghav Raghu Venkat Siva
    Shiva Aravind Ashok Balu Hari Kishore Madhu Mani Muthu Naresh Prabhu Rajan Sekar Selvam Sundar Vinay Vishnu Anand Ravi Arvind Sridhar`,
  cy: `Rhys Dylan Gethin Iwan Owain Cerys Ffion Bethan Siân Sian Dafydd Ieuan Aled Elin Catrin Carys Nia Gareth Huw Emrys`,
  ie: `Oisin Oisín Aoife Ciara Saoirse Cian Eoin Niamh Siobhán Sinéad Orla Róisín Caoimhe Clodagh Aisling Gráinne Méabh Dearbhla Fionn
    Darragh Pádraig Seán Ruairí Cathal Colm Donal Fiachra Tadhg Diarmuid Ciarán Conor Cormac`,
  ng: `Emeka Chidi Tunde Ngozi Chinedu Chioma Adaeze Obinna Ifeanyi Uche Nneka Amaka Oluwaseun Olumide Babajide Folake Funmilayo Yetunde
    Kehinde Taiwo Temitope Adebayo Adewale Bisi Chiamaka Ebuka Ikenna Kelechi Nkechi Okechukwu Segun Tobi Zainab`,
  pl: `Kasia Bartek Wojciech Grzegorz Małgorzata Krzysztof Przemysław Jarosław Mirosław Zbigniew Stanisław Bożena Grażyna Jadwiga Halina
    Danuta Elżbieta Iwona Jolanta Wiesław Bogdan Ryszard Tadeusz Zdzisław Mariusz Dariusz Sławomir Gosia Ola Basia Tomek Marcin`,
  ua: `Oksana Olena Dmytro Mykola Mykhailo Oleksandr Oleksii Andrii Serhii Yurii Taras Bohdan Vasyl Nataliia Iryna Tetiana Yuliia Kateryna
    Halyna Larysa Svitlana Viktoriia Liudmyla`,
  east: `Mei Xiaoming Jian Jing Ling Yan Hui Lei Qiang Hao Haruto Hiroshi Kenji Takashi Yuki Sakura Akiko Naoko Minh Thanh Huong Linh Quang`,
  arabic: `Ahmad Ahmed Khalid Mustafa Tariq Hamza Bilal Yousef Youssef Omar Mahmoud Karim Rania Leila Layla Nour Samira Yasmin Mariam Fatma Hassan Hussein`,
  fr: `Maël Nuria Loïc Yannick Gwenaëlle Soizic Ronan Erwan Maëlys Clémence Ségolène`,
};

export const extraFamilyNames: Readonly<Record<string, string>> = {
  nl: `Smit Hendriks Jansen Visser Meijer Mulder Bos Vos Peters Dekker Brouwer Willems Verhoeven Kok Jacobs Bakker Janssen Dijkstra
    Boer Jong Vries Berg Dijk Bosch Graaf Wit Haan Leeuwen Heuvel Veen Wal Linden Kuipers Postma Prins Huisman Koster Timmermans Vermeulen`,
  in: `Kulkarni Mehta Kumar Rao Chatterjee Mukherjee Banerjee Naidu Iyer Iyengar Nair Menon Pillai Reddy Shetty Hegde Bhat Pai Kamath
    Deshpande Joshi Patil Pawar Jadhav Shinde Chavan Gaikwad Deshmukh Bhatt Trivedi Pandey Mishra Tiwari Dubey Shukla Srivastava Saxena
    Chauhan Rathore Yadav Thakur Choudhary Chaudhary Malhotra Kapoor Khanna Arora Bhatia Sethi Ahuja Grover Chopra Sinha Jha Bose Ghosh
    Sen Dutta Roy Sarkar Mitra Basu Krishnan Subramanian Venkatesan Raman Swamy Gowda Naik Sharma Verma Gupta Agarwal Aggarwal Goyal
    Narayanan Krishnamurthy Ramachandran Raghavan Srinivasan Venkataraman Sundaram Subramaniam Rajagopal Chandrasekhar Balasubramanian
    Gopalan Natarajan Ramaswamy Dhillon Sandhu Gill Grewal Sidhu Bajwa Brar Singh Kaur Qureshi Ansari Shaikh Pathan Bachchan`,
  cy: `Evans Jones Davies Williams Roberts Lewis Hughes Morgan Griffiths Price Jenkins Rees Owen Pritchard Llewellyn`,
  ie: `Byrne Murphy Kelly Ryan Walsh O'Brien O'Sullivan O'Connor O'Neill O'Reilly Doyle McCarthy Gallagher Doherty Kennedy Lynch Murray
    Quinn Moore McLoughlin Carroll Connolly Daly Connell Brennan Fitzgerald Nolan Hughes Dunne`,
  ng: `Okafor Nwosu Adeyemi Okonkwo Eze Obi Nwachukwu Okeke Ogunleye Adebayo Balogun Oyelaran Afolabi Bello Ibrahim Abubakar Mohammed
    Olawale Oladipo Chukwu Nnamdi Uzor Igwe Onyekachi Akinyemi Babatunde`,
  pl: `Kowalczyk Kamiński Kamińska Zieliński Zielińska Szymański Szymańska Woźniak Dąbrowski Dąbrowska Kozłowski Kozłowska Jankowski
    Jankowska Mazur Kwiatkowski Kwiatkowska Krawczyk Piotrowski Piotrowska Grabowski Grabowska Pawłowski Pawłowska Michalski Michalska
    Wróbel Wieczorek Jabłoński Jabłońska Wójcik Wiśniewski Wiśniewska Lewandowski Lewandowska`,
  ua: `Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Oliinyk Shevchuk Koval Polishchuk Bondar Tkachuk Moroz Marchenko Lysenko
    Rudenko Savchenko Petrenko Melnyk Boyko Kovalchuk`,
  east: `Zhang Wang Liu Chen Yang Huang Zhao Zhou Xu Sun Tanaka Sato Suzuki Takahashi Watanabe Ito Yamamoto Nakamura Kobayashi Nguyen Tran
    Pham Hoang Phan Vu Dang Bui Do`,
  arabic: `Al-Farsi Al-Rashid Haddad Khoury Mansour Nasser Saleh Hamdan Aziz Rahman Hussain Khan Siddiqui Qureshi Sheikh Malik`,
};
