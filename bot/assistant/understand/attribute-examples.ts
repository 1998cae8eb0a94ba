/**
 * Examples of how people ask for each attribute, written by the team (never copied from an evaluation
 * set), for the attribute classifier (attribute-classifier.ts). One example a line: the attributes it
 * asks, a bar, the question. Subjects are written as generic nouns ("chùa", "the temple"), because the
 * classifier reads a clause with its names taken out. "none" marks questions that ask no attribute.
 * Add a line when a way of asking is missed; run `npm run eval` to see what it changes.
 */
export const ATTRIBUTE_EXAMPLES = `
where | chùa nằm ở chỗ nào vậy
where | cho mình xin địa chỉ của đền
where | miếu ở phường nào
where | cái tượng đó nằm ngay đâu
where | chỗ đó thuộc xã nào bây giờ
where | nha tho nam o duong nao
where | cho do o khuc nao
where | bến đò nằm ở đâu trong thị xã
where | where exactly is the pagoda
where | what is the address of the temple
where | which street is the market on
where | where can i find the mosque
where | whereabouts is the tomb
where | is it in town or outside
where | where is it located on the map
where | mua đặc sản ở đâu
where | where can i buy souvenirs
where | chỗ nào bán mắm ngon
distance | từ trung tâm tới đó xa không
distance | cach cho bao nhieu cay
distance | đi từ chợ tới đó bao nhiêu km
distance | có gần khách sạn không
distance | xa lắm ko
distance | how far is it from the town centre
distance | is it far from the market
distance | how many kilometres away is it
distance | is it within walking distance
distance | distance from the city to the forest
distance | cach day bao xa
distance | nó cách biên giới mấy cây
distance | is it close to the border
getting-there | đi tới đó bằng xe gì
getting-there | có xe buýt chạy tới không
getting-there | thuê xe máy đi được không
getting-there | đi đò qua được không
getting-there | từ sài gòn xuống bằng cách nào
getting-there | di chuyen toi do nhu the nao
getting-there | có đường cho ô tô lên không
getting-there | đi bộ lên được không
getting-there | bắt xe gì để tới
getting-there | how do i get there from the centre
getting-there | can i take a bus there
getting-there | is there a boat to get across
getting-there | what's the best way to reach it
getting-there | can i walk up or do i need a motorbike
getting-there | can i ride a bike there
getting-there | how to go there by public transport
getting-there | is there a ferry
getting-there | có xe đưa đón không
travel-time | đi hết mấy tiếng
travel-time | chạy xe mất bao lâu thì tới
travel-time | đi bộ lên đỉnh mất bao lâu
travel-time | ngồi tàu bao lâu mới tới
travel-time | di mat bao lau
travel-time | how long is the drive
travel-time | how many hours by bus
travel-time | how long does the boat take
travel-time | how long to walk to the top
travel-time | how much time do i need to get there
travel-time | is it a long ride
hours | mấy giờ thì mở cửa
hours | mở cửa tới mấy giờ
hours | buổi tối có mở không
hours | chủ nhật có mở không
hours | mo cua luc may gio
hours | đêm có vào được không
hours | giờ nào thì đóng cửa
hours | is it open at night
hours | what are the opening times
hours | when does it close
hours | can we visit early in the morning
hours | is it open on sundays
hours | open every day
hours | lịch chạy mấy giờ
hours | what time does the boat leave
price | vào cửa có mất tiền không
price | giá vé bao nhiêu một người
price | vé trẻ em bao nhiêu
price | có thu phí tham quan không
price | tốn bao nhiêu tiền vậy
price | ve vao cong bn
price | bao nhiêu một lượt
price | giá thuê thuyền bao nhiêu
price | how much is the entrance fee
price | is it free to get in
price | do i have to pay to enter
price | what does a ticket cost
price | how much for a ride
price | price for kids
price | is there an admission charge
price | how much does the boat cost
price | chi phí đi hết bao nhiêu
size | núi cao bao nhiêu mét
size | tượng cao mấy mét
size | rộng bao nhiêu hecta
size | diện tích bao nhiêu
size | có lớn không
size | dài bao nhiêu cây số
size | cao lắm không
size | how tall is the statue
size | how high is the mountain
size | how big is the forest
size | how long is the canal
size | what is the height
size | how large is the area
size | how many metres high
history | ai xây cái này
history | chùa có từ hồi nào
history | được xây dựng năm nào
history | ai là người lập ra
history | ai sáng lập
history | lịch sử của nó thế nào
history | có bao nhiêu năm rồi
history | trùng tu lần cuối khi nào
history | xay nam nao vay
history | ai thiet ke
history | thờ vị nào
history | ông ấy là ai vậy
history | ông đó có công gì
history | ai được chôn ở đây
history | tên đó có nghĩa là gì
history | ngày xưa nơi này là gì
history | who built it and when
history | when was it founded
history | how old is the pagoda
history | who designed the building
history | who is buried there
history | what is the story behind it
history | who was he
history | what is the legend
history | when was it last rebuilt
history | what does the name mean
history | was it ever destroyed in the war
history | who is worshipped here
history | what happened here in the war
what-to-see | ở đó có gì chơi
what-to-see | có gì đáng xem không
what-to-see | trên đó có gì
what-to-see | đi tới đó làm gì
what-to-see | có gì đặc sắc không
what-to-see | co gi hay ko
what-to-see | ngắm cảnh ở đâu đẹp
what-to-see | có đáng đi không
what-to-see | what is there to see
what-to-see | what can we do there
what-to-see | is it worth visiting
what-to-see | what's interesting about it
what-to-see | anything to see at the top
what-to-see | what is it famous for
what-to-see | chỗ nào chụp hình đẹp
what-to-see | where is the best view
dates | lễ diễn ra ngày nào
dates | năm sau vào ngày mấy dương lịch
dates | hội tổ chức vào tháng mấy
dates | bao giờ thì có lễ
dates | le hoi dien ra may ngay
dates | kéo dài mấy ngày
dates | năm nay rơi vào ngày nào
dates | when is the festival this year
dates | what are the dates next year
dates | which day is the main day
dates | how many days does it last
dates | when does it start and end
dates | on what date is it held
dates | is it in april or may
rite-time | lễ tắm tượng làm lúc mấy giờ
rite-time | mấy giờ thì rước
rite-time | nghi thức chính diễn ra buổi nào
rite-time | tối hôm đó có lễ gì
rite-time | lễ cúng lúc nửa đêm phải không
rite-time | what time is the bathing ceremony
rite-time | when is the procession
rite-time | at what hour is the main rite
rite-time | which night is the ceremony
rite-time | what rituals are held and when
season | đi mùa nào là đẹp nhất
season | tháng mấy đi là hợp
season | mùa mưa có nên đi không
season | khi nào thì nước lên
season | thoi diem nao dep nhat
season | nên đi dịp nào
season | tháng này đi có đẹp không
season | when is the best time to go
season | which month is best
season | is it worth going in the dry season
season | when is the flood season
season | is december a good time
season | what is the weather like
season | khi nào là mùa cao điểm
made-of | món đó làm từ gì
made-of | nấu bằng gì vậy
made-of | nguyên liệu gồm những gì
made-of | mắm làm bằng cá gì
made-of | ăn kèm với gì
made-of | mon nay an nhu the nao
made-of | what is it made of
made-of | what goes into the dish
made-of | what fish is used
made-of | how is it cooked
made-of | what does it taste like
made-of | nên ăn món gì
made-of | what should we eat
made-of | what are the local specialities
made-of | có món chay không
made-of | what should i try
contact | gọi số nào để báo
contact | số điện thoại của ban quản lý
contact | có đường dây nóng không
contact | muốn khiếu nại thì gọi ai
contact | bị chặt chém thì báo ai
contact | mất đồ thì liên hệ đâu
contact | so cong an la bao nhieu
contact | who do i call
contact | what is the phone number
contact | is there a hotline for tourists
contact | where can i complain
contact | who should i report it to
contact | i got cheated, who can help
contact | how do i reach the police
contact | gặp cò mồi thì phản ánh ở đâu
deadline | phải báo trước mấy giờ
deadline | trễ nhất là khi nào phải báo
deadline | có bao lâu để khai báo
deadline | khách tới khuya thì hạn là lúc nào
deadline | han chot bao luu tru
deadline | sau khi khách tới bao lâu thì phải báo
deadline | by what time must we declare
deadline | how many hours do we have to report
deadline | when is the deadline for the declaration
deadline | how quickly must the guest be registered
deadline | is next morning too late to report
fine | không báo thì bị phạt bao nhiêu
fine | quên khai báo có bị xử lý không
fine | mức phạt là bao nhiêu tiền
fine | bị phạt nặng không
fine | phat bao nhieu tien
fine | khách có bị phạt không hay chủ nhà
fine | lỡ không báo cho mấy khách thì sao
fine | what is the penalty if we forget
fine | how much is the fine
fine | can i get fined for that
fine | what happens if we don't report
fine | who pays the fine, the guest or the owner
fine | what are the consequences
documents | cần giấy tờ gì
documents | phải ghi những thông tin nào
documents | khách phải đưa cái gì
documents | có cần hộ chiếu không
documents | can cuoc cong dan co duoc khong
documents | gửi những gì cho công an
documents | what documents are needed
documents | what details do i have to give
documents | do i need my passport
documents | what information is sent to the police
documents | which papers should i bring
how-to-register | khai báo bằng cách nào
how-to-register | báo qua app được không
how-to-register | làm trên điện thoại được không
how-to-register | khai online ở trang nào
how-to-register | đến trực tiếp công an có được không
how-to-register | thủ tục ra sao
how-to-register | bao qua mang duoc ko
how-to-register | how do i declare my guests
how-to-register | can i do it online
how-to-register | which website do i use
how-to-register | is there an app for it
how-to-register | what is the procedure
how-to-register | where do i submit the form
events-list | sắp tới có lễ hội gì
events-list | tháng này có sự kiện nào
events-list | cuối tuần có gì vui không
events-list | ở đây có những lễ hội nào
events-list | tet co gi choi
events-list | what festivals are there
events-list | any events coming up
events-list | what's happening this month
events-list | is anything on this weekend
events-list | which festivals should i see
official | ai là chủ tịch
official | giám đốc sở tên gì
official | trưởng ban quản lý là ai
official | ai đứng đầu phường
official | who is the mayor
official | who is in charge of tourism here
official | what is the director's name
itinerary | đi một ngày thì nên đi những đâu
itinerary | gợi ý lịch trình hai ngày
itinerary | nên đi chỗ nào trước
itinerary | đi hành hương nên đi theo thứ tự nào
itinerary | lich trinh 2 ngay 1 dem
itinerary | plan a day for us
itinerary | what route should we take
itinerary | suggest a two day trip
itinerary | what order should we visit
itinerary | we have one day, where should we go
legal-basis | quy định này ở văn bản nào
legal-basis | luật nào bắt phải báo
legal-basis | nghị định nào quy định mức phạt
legal-basis | điều mấy của luật
legal-basis | còn hiệu lực không
legal-basis | luật mới có hiệu lực từ khi nào
legal-basis | which law says so
legal-basis | what decree sets the fine
legal-basis | is that rule still in force
legal-basis | what is the legal basis
legal-basis | which article is it
none | chào bạn
none | cảm ơn nhiều nha
none | kể cho mình nghe về chùa
none | giới thiệu về núi
none | tell me about the temple
none | hello there
none | thanks a lot
none | ok
none | mình muốn đi châu đốc
none | i am visiting next week
none | tuyệt vời
none | nice, good to know
none | được rồi
none | chùa đó thế nào
none | what about the mountain
`;
